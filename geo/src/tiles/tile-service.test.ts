import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOsmExtract, type OsmExtract } from '../osm/osm-extract.js';
import { decodeMvt } from './decode-mvt.js';
import { ROAD_CLASSES, ROAD_CLASS_MIN_ZOOM, type RoadClass } from './road-class.js';
import { tileAddress } from './tile-address.js';
import { TileService } from './tile-service.js';
import { buildTileSource, type TileSource } from './tile-source.js';

const MONACO_PBF = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
/** Place du Casino, Monte-Carlo. */
const CASINO = { lat: 43.7392, lng: 7.4277 };

describe('TileService on the Monaco extract', () => {
  let extract: OsmExtract;
  let source: TileSource;
  let tiles: TileService;

  beforeAll(async () => {
    extract = await readOsmExtract(MONACO_PBF);
    source = buildTileSource(extract);
    tiles = new TileService(source);
  });

  it('builds one source with every drawable road and every POI', () => {
    expect(source.counts.pois).toBe(extract.pois.length);
    // A handful of highway=* values (construction, raceway, ...) are not drawn.
    expect(source.counts.roads).toBeGreaterThan(extract.roads.length * 0.99);
    expect(source.counts.roads).toBeLessThan(extract.roads.length);
    expect(source.version).toMatch(/^s1-[\w-]{10}$/);
    expect(buildTileSource(extract).version).toBe(source.version);
  });

  it('encodes a z15 tile that decodes into roads and pois layers', () => {
    const { z, x, y } = tileAddress(CASINO.lat, CASINO.lng, 15);
    const tile = tiles.getTile(z, x, y);
    expect(tile).not.toBeNull();
    const layers = decodeMvt(tile!.bytes, z, x, y);
    expect(Object.keys(layers).sort()).toEqual(['pois', 'roads']);
    const roads = layers.roads!;
    const pois = layers.pois!;
    expect(roads.version).toBe(2);
    expect(roads.extent).toBe(4096);
    expect(roads.features.length).toBeGreaterThan(50);
    for (const f of roads.features) {
      expect(f.type).toBe(2); // LineString
      expect(ROAD_CLASSES).toContain(f.properties.class);
      expect(typeof f.properties.highway).toBe('string');
      // Geometry stays within the tile plus its 64-unit buffer.
      for (const p of f.geometry.flat()) {
        expect(p.x).toBeGreaterThanOrEqual(-64);
        expect(p.x).toBeLessThanOrEqual(4096 + 64);
      }
    }
    expect(roads.features.some((f) => f.properties.oneway === true)).toBe(true);
    expect(roads.features.some((f) => typeof f.properties.name === 'string')).toBe(true);
    expect(pois.features.length).toBeGreaterThan(5);
    const byId = new Map(extract.pois.map((p) => [p.osmId, p]));
    for (const f of pois.features) {
      expect(f.type).toBe(1); // Point
      const id = String(f.properties.id);
      const orig = byId.get(id);
      expect(orig, id).toBeDefined();
      expect(f.properties).toEqual({ id, name: orig!.name, category: orig!.category, kind: orig!.kind });
      // Back to lng/lat within a tile unit (~0.2 m at z15).
      const [lng, lat] = f.lngLat();
      expect(lng).toBeCloseTo(orig!.lng, 4);
      expect(lat).toBeCloseTo(orig!.lat, 4);
    }
  });

  it('applies each class its minimum zoom and keeps POIs for z14 up', () => {
    const classesAt = (zoom: number): { classes: Set<RoadClass>; layers: string[] } => {
      const { z, x, y } = tileAddress(CASINO.lat, CASINO.lng, zoom);
      const layers = decodeMvt(tiles.getTile(z, x, y)!.bytes, z, x, y);
      return { classes: new Set((layers.roads?.features ?? []).map((f) => f.properties.class as RoadClass)), layers: Object.keys(layers) };
    };
    for (const zoom of [10, 12, 13, 14, 16]) {
      const { classes, layers } = classesAt(zoom);
      for (const c of classes) expect(ROAD_CLASS_MIN_ZOOM[c], `${c} at z${zoom}`).toBeLessThanOrEqual(zoom);
      expect(layers.includes('pois')).toBe(zoom >= 14);
    }
    expect(classesAt(13).classes.has('minor')).toBe(true);
    expect(classesAt(13).classes.has('path')).toBe(false);
    expect(classesAt(14).classes.has('path')).toBe(true);
  });

  it('answers null for empty tiles, near and far, without caching far ones', () => {
    const fresh = new TileService(source);
    const far = tileAddress(48.8566, 2.3522, 14); // Paris
    expect(fresh.getTile(far.z, far.x, far.y)).toBeNull();
    expect(fresh.misses).toBe(0);
    expect(fresh.getTile(14, 0, 0)).toBeNull();
    expect(fresh.misses).toBe(0);
    // Diagonally past the south-east corner of the data's bbox at z18: inside the ring of tiles that
    // may hold buffered features, so it is sliced (a miss), found empty, and the answer cached.
    const corner = tileAddress(source.bbox!.south, source.bbox!.east, 18);
    expect(fresh.getTile(18, corner.x + 1, corner.y + 1)).toBeNull();
    expect(fresh.getTile(18, corner.x + 1, corner.y + 1)).toBeNull();
    expect({ misses: fresh.misses, hits: fresh.hits }).toEqual({ misses: 1, hits: 1 });
  });

  it('caches encoded tiles: a repeat is a hit that returns the same bytes and ETag', () => {
    const fresh = new TileService(source);
    const { z, x, y } = tileAddress(CASINO.lat, CASINO.lng, 16);
    const a = fresh.getTile(z, x, y);
    const b = fresh.getTile(z, x, y);
    expect({ hits: fresh.hits, misses: fresh.misses, cached: fresh.cachedTiles }).toEqual({ hits: 1, misses: 1, cached: 1 });
    expect(b).toBe(a);
  });

  it('keeps the cache bounded', () => {
    const small = new TileService(source, { cacheTiles: 3 });
    const { x, y } = tileAddress(CASINO.lat, CASINO.lng, 17);
    for (let i = 0; i < 5; i++) small.getTile(17, x + i, y);
    expect(small.cachedTiles).toBe(3);
    expect(small.evictions).toBe(2);
    small.getTile(17, x, y); // evicted: encoded again
    expect(small.misses).toBe(6);
  });

  it('gives strong ETags: quoted data version plus the sha1 of the bytes', () => {
    const { z, x, y } = tileAddress(CASINO.lat, CASINO.lng, 14);
    const tile = tiles.getTile(z, x, y)!;
    const sha1 = createHash('sha1').update(tile.bytes).digest('base64url');
    expect(tile.etag).toBe(`"${source.version}-${sha1}"`);
    const other = new TileService(buildTileSource(extract, { version: 'other' })).getTile(z, x, y)!;
    expect(Buffer.from(other.bytes).equals(Buffer.from(tile.bytes))).toBe(true);
    expect(other.etag).not.toBe(tile.etag);
    expect(() => buildTileSource(extract, { version: 'a,"b' })).toThrow(RangeError);
  });

  it('refuses addresses it does not serve', () => {
    for (const [z, x, y] of [
      [9, 0, 0],
      [19, 0, 0],
      [14, 2 ** 14, 0],
      [14, 0, -1],
      [14, 1.5, 0],
      [Number.NaN, 0, 0],
    ] as const) {
      expect(() => tiles.getTile(z, x, y), `${z}/${x}/${y}`).toThrow(RangeError);
    }
  });

  it('warms the shallow zooms so first views are hits', () => {
    const fresh = new TileService(source);
    const warmed = fresh.warm({ upTo: 13 });
    expect(warmed.tiles).toBeGreaterThan(4);
    expect(fresh.cachedTiles).toBe(warmed.tiles);
    const { z, x, y } = tileAddress(CASINO.lat, CASINO.lng, 13);
    const misses = fresh.misses;
    expect(fresh.getTile(z, x, y)).not.toBeNull();
    expect(fresh.misses).toBe(misses);
    expect(new TileService(source).warm({ upTo: 18, budget: 7 }).tiles).toBe(7);
  });
});

describe('TileService with no data', () => {
  it('serves only empty tiles', () => {
    const empty = new TileService(buildTileSource({ roads: [], pois: [] }));
    expect(empty.getTile(14, 8529, 5974)).toBeNull();
    expect(empty.warm().tiles).toBe(0);
  });
});
