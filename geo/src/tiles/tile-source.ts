import geojsonvt from 'geojson-vt';
import type { OsmExtract } from '../osm/osm-extract.js';
import { dataVersion } from './data-version.js';
import { poiFeatures, roadFeatures } from './tile-features.js';
import type { TileBounds } from './tile-address.js';

/** Tile coordinate space: MVT's customary 4096 units a side (geojson-vt and vt-pbf must agree). */
export const TILE_EXTENT = 4096;
/** Deepest zoom tiles are cut at; also the deepest zoom served. */
export const SOURCE_MAX_ZOOM = 18;

export type VtIndex = ReturnType<typeof geojsonvt>;

/**
 * The sliced data behind the tiles, built once at start: one geojson-vt index per MVT layer (a
 * geojson-vt index holds one FeatureCollection, and vt-pbf turns each index's tile into one layer).
 */
export interface TileSource {
  /** Goes into every ETag: see dataVersion. */
  readonly version: string;
  readonly roads: VtIndex;
  readonly pois: VtIndex;
  /** Bounds of all features, or null when there are none (every tile is then empty). */
  readonly bbox: TileBounds | null;
  readonly counts: { readonly roads: number; readonly pois: number };
  readonly buildMs: number;
}

export interface TileSourceOptions {
  /** Override the computed data version (e.g. the extract's replication timestamp): [A-Za-z0-9._-]. */
  version?: string;
}

/** Versions go inside quoted ETags and If-None-Match lists: no quotes, commas or spaces. */
const VERSION_PATTERN = /^[\w.-]{1,64}$/;

function boundsOf(coordinateLists: Iterable<readonly (readonly number[])[]>): TileBounds | null {
  const b: TileBounds = { west: 180, south: 90, east: -180, north: -90 };
  let any = false;
  for (const list of coordinateLists) {
    for (const [lng, lat] of list) {
      if (lng === undefined || lat === undefined) continue;
      any = true;
      if (lng < b.west) b.west = lng;
      if (lng > b.east) b.east = lng;
      if (lat < b.south) b.south = lat;
      if (lat > b.north) b.north = lat;
    }
  }
  return any ? b : null;
}

function* coordinateLists(roads: ReturnType<typeof roadFeatures>, pois: ReturnType<typeof poiFeatures>): Generator<readonly (readonly number[])[]> {
  for (const f of roads.features) yield f.geometry.coordinates;
  for (const f of pois.features) yield [f.geometry.coordinates];
}

/** Slice an extract for tiling. Synchronous and CPU-bound: call it at start, never per request. */
export function buildTileSource(extract: Pick<OsmExtract, 'roads' | 'pois'>, options: TileSourceOptions = {}): TileSource {
  const t0 = performance.now();
  const roadFc = roadFeatures(extract.roads);
  const poiFc = poiFeatures(extract.pois);
  const version = options.version ?? dataVersion(roadFc, poiFc);
  if (!VERSION_PATTERN.test(version)) throw new RangeError(`tile data version must match ${VERSION_PATTERN}`);
  const bbox = boundsOf(coordinateLists(roadFc, poiFc));
  // tolerance 3 (of 4096) simplifies lines below what a 512 px tile can show; buffer 64 lets lines
  // and labels cross tile edges without seams. geojson-vt slices lazily below its initial index,
  // caching what it cut, so a tile's first request pays for its slicing once.
  const opts = { maxZoom: SOURCE_MAX_ZOOM, extent: TILE_EXTENT, buffer: 64, tolerance: 3 };
  const roads = geojsonvt(roadFc, opts);
  const pois = geojsonvt(poiFc, opts);
  return {
    version,
    roads,
    pois,
    bbox,
    counts: { roads: roadFc.features.length, pois: poiFc.features.length },
    buildMs: performance.now() - t0,
  };
}
