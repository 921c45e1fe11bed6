import { createHash } from 'node:crypto';
import vtpbf from 'vt-pbf';
import { isRoadClass, ROAD_CLASS_MIN_ZOOM } from './road-class.js';
import { TILE_EXTENT, type TileSource, type VtIndex } from './tile-source.js';

/** An encoded vector tile and its HTTP validator. */
export interface EncodedTile {
  /** Mapbox Vector Tile 2.1 protobuf (uncompressed). */
  bytes: Uint8Array;
  /** Strong ETag, quoted: `"<data version>-<sha1 of bytes, base64url>"`. */
  etag: string;
}

/**
 * POIs join the map at z14 (~2 km tiles): below it a city's POIs are thousands of overlapping
 * labels per tile and most of the tile's bytes.
 */
export const POI_MIN_ZOOM = 14;

type VtFeature = NonNullable<ReturnType<VtIndex['getTile']>>['features'][number];

function roadsAt(index: VtIndex, z: number, x: number, y: number): VtFeature[] {
  const tile = index.getTile(z, x, y);
  if (!tile) return [];
  // One index holds every class; the per-class minimum zoom is applied here. The filter makes a new
  // array: geojson-vt's tile objects belong to its index and are shared by later requests.
  return tile.features.filter((f) => {
    const cls: unknown = f.tags?.class;
    return isRoadClass(cls) && ROAD_CLASS_MIN_ZOOM[cls] <= z;
  });
}

/** Strong validator: the bytes' hash, prefixed by the data version. */
export function etagOf(version: string, bytes: Uint8Array): string {
  return `"${version}-${createHash('sha1').update(bytes).digest('base64url')}"`;
}

/**
 * Encode tile z/x/y from the source: layers `roads` and `pois` (a layer with no features is left
 * out, as MVT allows), or null when the tile would be empty. No validation: TileService checks.
 */
export function encodeTile(source: TileSource, z: number, x: number, y: number): EncodedTile | null {
  const roads = roadsAt(source.roads, z, x, y);
  const pois = z >= POI_MIN_ZOOM ? (source.pois.getTile(z, x, y)?.features ?? []) : [];
  if (roads.length === 0 && pois.length === 0) return null;
  const layers: Record<string, { features: VtFeature[] }> = {};
  if (roads.length > 0) layers.roads = { features: roads };
  if (pois.length > 0) layers.pois = { features: pois };
  // vt-pbf returns a view into a buffer grown by doubling: copy out the exact bytes so the cache
  // holds only the tile, not up to twice its size.
  const bytes = vtpbf.fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT }).slice();
  return { bytes, etag: etagOf(source.version, bytes) };
}
