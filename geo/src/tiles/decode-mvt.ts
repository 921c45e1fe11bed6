import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/**
 * Test helper (uses devDependencies; not exported from the package): decode MVT bytes the way a
 * map client does, into plain objects that assertions can read.
 */
export interface DecodedLayer {
  version: number;
  extent: number;
  features: { type: number; properties: Record<string, string | number | boolean>; geometry: { x: number; y: number }[][]; lngLat: () => number[] }[];
}

export function decodeMvt(bytes: Uint8Array, z: number, x: number, y: number): Record<string, DecodedLayer> {
  const tile = new VectorTile(new PbfReader(bytes));
  const out: Record<string, DecodedLayer> = {};
  for (const [name, layer] of Object.entries(tile.layers)) out[name] = decodeLayer(layer, z, x, y);
  return out;
}

function decodeLayer(layer: VectorTileLayer, z: number, x: number, y: number): DecodedLayer {
  const features: DecodedLayer['features'] = [];
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    features.push({
      type: f.type,
      properties: f.properties,
      geometry: f.loadGeometry().map((ring) => ring.map((p) => ({ x: p.x, y: p.y }))),
      // First position in lng/lat, as the client would place it on the map.
      lngLat: () => {
        const g = f.toGeoJSON(x, y, z).geometry;
        return g.type === 'Point' ? g.coordinates : g.type === 'LineString' ? (g.coordinates[0] ?? []) : [];
      },
    });
  }
  return { version: layer.version, extent: layer.extent, features };
}
