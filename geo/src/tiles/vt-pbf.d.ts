/**
 * vt-pbf ships no types. Only the function Locus calls is declared: it takes geojson-vt tiles keyed
 * by layer name and returns the MVT protobuf bytes (a view into pbf's growable buffer).
 */
declare module 'vt-pbf' {
  interface GeojsonVtLayer {
    features: readonly object[];
  }
  interface VtPbf {
    fromGeojsonVt(layers: Record<string, GeojsonVtLayer>, options?: { version?: number; extent?: number }): Uint8Array;
  }
  const vtpbf: VtPbf;
  export default vtpbf;
}
