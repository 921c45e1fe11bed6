import { encodeTile, type EncodedTile } from './tile-encoder.js';
import { LruCache } from './lru-cache.js';
import { isTileAddress, tileAddress, type TileAddress, type TileBounds } from './tile-address.js';
import { SOURCE_MAX_ZOOM, type TileSource } from './tile-source.js';

export interface TileServiceOptions {
  /** Encoded tiles kept in memory (empty-tile answers count too). Default 2048 (~20-60 MB for a city). */
  cacheTiles?: number;
  /** Served zoom range. Default 10..18: below 10 an OSM city extract is a dot, above 18 clients overzoom. */
  minZoom?: number;
  maxZoom?: number;
}

export interface WarmOptions {
  /** Deepest zoom to pre-encode. Default 14. */
  upTo?: number;
  /** Most tiles to visit. Default half the cache, so warming never evicts its own work. */
  budget?: number;
}

/** Tiles x0..x1, y0..y1 (inclusive) at one zoom. */
interface TileRange {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Serves encoded vector tiles: validates the address, answers from a bounded LRU of encoded tiles
 * (bytes + ETag, so a hit costs a Map lookup and the ETag is never recomputed), and encodes on a miss.
 * Tiles that cannot touch the data are answered empty without encoding or caching, so clients
 * panning over the sea (or scanners walking the world) neither pay for slicing nor evict real tiles.
 */
export class TileService {
  readonly minZoom: number;
  readonly maxZoom: number;
  private readonly cache: LruCache<number, EncodedTile | null>;
  /** Per zoom (index z), the tiles that may hold data; null when the source has no data at all. */
  private readonly ranges: (TileRange | null)[] = [];

  constructor(
    private readonly source: TileSource,
    options: TileServiceOptions = {},
  ) {
    this.minZoom = options.minZoom ?? 10;
    this.maxZoom = options.maxZoom ?? SOURCE_MAX_ZOOM;
    if (!Number.isInteger(this.minZoom) || !Number.isInteger(this.maxZoom) || this.minZoom < 0 || this.maxZoom > SOURCE_MAX_ZOOM || this.minZoom > this.maxZoom) {
      throw new RangeError(`served zooms must be integers with 0 <= minZoom <= maxZoom <= ${SOURCE_MAX_ZOOM}`);
    }
    this.cache = new LruCache(options.cacheTiles ?? 2048);
    for (let z = 0; z <= this.maxZoom; z++) this.ranges.push(source.bbox ? dataRange(source.bbox, z) : null);
  }

  /** The data version in every ETag. */
  get version(): string {
    return this.source.version;
  }

  get hits(): number {
    return this.cache.hits;
  }

  get misses(): number {
    return this.cache.misses;
  }

  get evictions(): number {
    return this.cache.evictions;
  }

  get cachedTiles(): number {
    return this.cache.size;
  }

  /** True when z/x/y is a tile address at a served zoom. */
  serves(z: number, x: number, y: number): boolean {
    return isTileAddress(z, x, y) && z >= this.minZoom && z <= this.maxZoom;
  }

  /**
   * The encoded tile, or null when it is empty. Throws RangeError unless `serves(z, x, y)`: an
   * unchecked address would otherwise be wrapped silently by geojson-vt (x = 2^z is tile 0).
   */
  getTile(z: number, x: number, y: number): EncodedTile | null {
    if (!this.serves(z, x, y)) throw new RangeError(`no tile ${z}/${x}/${y}: zoom ${this.minZoom}..${this.maxZoom}, 0 <= x,y < 2^z`);
    const r = this.ranges[z];
    if (!r || x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1) return null;
    // Same packing as geojson-vt's tile ids; exact in a double up to z=18 (2^41).
    const key = (2 ** z * y + x) * 32 + z;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const tile = encodeTile(this.source, z, x, y);
    this.cache.set(key, tile);
    return tile;
  }

  /** The tile-address service: which tile holds (lat, lng) at `zoom` (see tileAddress). */
  address(lat: number, lng: number, zoom: number): TileAddress {
    return tileAddress(lat, lng, zoom);
  }

  /**
   * Pre-encode the data's tiles from minZoom down to `upTo`, shallowest first, so the first screens
   * every viewer opens are cache hits. Counts as misses. Call at start, after building.
   */
  warm(options: WarmOptions = {}): { tiles: number; ms: number } {
    const t0 = performance.now();
    const upTo = Math.min(options.upTo ?? 14, this.maxZoom);
    const budget = options.budget ?? Math.floor(this.cache.capacity / 2);
    let visited = 0;
    for (let z = this.minZoom; z <= upTo; z++) {
      const r = this.ranges[z];
      if (!r) break;
      for (let y = r.y0; y <= r.y1; y++) {
        for (let x = r.x0; x <= r.x1; x++) {
          if (visited >= budget) return { tiles: visited, ms: performance.now() - t0 };
          this.getTile(z, x, y);
          visited++;
        }
      }
    }
    return { tiles: visited, ms: performance.now() - t0 };
  }

  /** Drop every cached tile (counters keep counting). */
  clear(): void {
    this.cache.clear();
  }
}

/**
 * The tiles at zoom z that may hold data: those under the bbox plus a ring of one tile, because
 * geojson-vt copies features into a 64-unit buffer past each tile edge.
 */
function dataRange(b: TileBounds, z: number): TileRange {
  const clampLng = (v: number): number => Math.max(-180, Math.min(180, v));
  const clampLat = (v: number): number => Math.max(-90, Math.min(90, v));
  const nw = tileAddress(clampLat(b.north), clampLng(b.west), z);
  const se = tileAddress(clampLat(b.south), clampLng(b.east), z);
  const last = 2 ** z - 1;
  return { x0: Math.max(0, nw.x - 1), x1: Math.min(last, se.x + 1), y0: Math.max(0, nw.y - 1), y1: Math.min(last, se.y + 1) };
}
