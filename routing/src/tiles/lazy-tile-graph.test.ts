import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { readRoadGraph } from '../osm/read-road-graph.js';
import { RouteService } from '../route/route-service.js';
import { bidirectionalAStar } from '../search/bidirectional-a-star.js';
import { hierarchical } from '../search/hierarchical.js';
import { Landmarks } from '../search/landmarks.js';
import { aStar, dijkstra } from '../search/one-way-search.js';
import type { Phantom } from '../search/phantom.js';
import { EdgeSnapper } from '../snap/edge-snapper.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { Rng } from '../synthetic/rng.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { LazyTileGraph } from './lazy-tile-graph.js';
import { TileCache } from './tile-cache.js';
import { graphFromTiles, readManifest } from './tile-graph.js';
import { writeTiles, type TileManifest } from './tile-writer.js';

const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const dirs: string[] = [];
/** -1 when equal (a plain loop: deep equality of 100k-element arrays is slow in the matcher). */
const firstDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tiled(g: RoadGraph): Promise<{ dir: string; manifest: TileManifest }> {
  const dir = await mkdtemp(join(tmpdir(), 'locus-lazy-'));
  dirs.push(dir);
  return { dir, manifest: await writeTiles(g, dir, 'v') };
}

describe('LazyTileGraph on a 15 km synthetic grid (many local tiles)', () => {
  // 150 × 150 intersections 100 m apart: about 16 local tiles, a few arterial and highway ones.
  const { graph: eager, node } = gridGraph({ width: 150, height: 150, seed: 3, arterialEvery: 10, highwayEvery: 50, restrictionRate: 0.03 });
  let dir: string;
  let manifest: TileManifest;
  beforeAll(async () => {
    ({ dir, manifest } = await tiled(eager));
  });
  const at = (g: RoadGraph, v: number): Phantom[] => {
    const out: Phantom[] = [];
    for (let e = g.firstOut[v]!; e < g.firstOut[v + 1]!; e++) out.push({ edge: e, offset: 0 });
    return out;
  };

  it('a short query loads only the tiles it reaches, through the LRU cache, and equals the eager answer', () => {
    expect(manifest.tiles.filter((t) => t.name.startsWith('local/')).length).toBeGreaterThan(6);
    const cache = new TileCache(dir, 64);
    const lazy = new LazyTileGraph(manifest, cache);
    const a = node(2, 2);
    const b = node(12, 9);
    // The origin's tiles (what snapping a point there would load), then the search.
    lazy.ensureArea(eager.nodeLat[a]!, eager.nodeLng[a]!, 50);
    lazy.ensure(a);
    const from = at(lazy, a);
    const to = [{ edge: eager.firstOut[b]!, offset: 0.5 }];
    const got = bidirectionalAStar(lazy, new CarCosting(lazy), from, to)!;
    const want = bidirectionalAStar(eager, new CarCosting(eager), at(eager, a), to)!;
    expect(got.cost).toBe(want.cost);
    expect(Array.from(got.edges)).toEqual(Array.from(want.edges));
    expect(lazy.loadedTiles.size).toBeGreaterThan(0);
    expect(lazy.loadedTiles.size).toBeLessThan(manifest.tiles.length / 2);
    expect(cache.misses).toBe(lazy.loadedTiles.size);
    // Nothing was loaded that is not in a loaded tile: every present edge belongs to one of them.
    let present = 0;
    for (let e = 0; e < lazy.edgeCount; e++) present += lazy.edgeLoaded[e]!;
    const inLoaded = manifest.tiles.filter((t) => lazy.loadedTiles.has(t.name)).reduce((s, t) => s + t.edges, 0);
    expect(present).toBeLessThanOrEqual(inLoaded);
    expect(present).toBeLessThan(eager.edgeCount / 2);
  });

  it('every search returns the eager graph’s cost on 40 random pairs (tiles loaded as reached)', () => {
    const lazy = new LazyTileGraph(manifest, new TileCache(dir, 8));
    const lazyCost = new CarCosting(lazy);
    const eagerCost = new CarCosting(eager);
    const rng = new Rng(9);
    let routes = 0;
    for (let i = 0; i < 40; i++) {
      const from = [{ edge: rng.int(eager.edgeCount), offset: rng.next() }];
      const to = [{ edge: rng.int(eager.edgeCount), offset: rng.next() }];
      // A query names its edges: their tiles are what a snap there would have loaded.
      for (const p of [...from, ...to]) {
        const s = eager.edgeSource[p.edge]!;
        lazy.ensureArea(eager.nodeLat[s]!, eager.nodeLng[s]!, 10);
      }
      const want = bidirectionalAStar(eager, eagerCost, from, to);
      const landmarks = lazy.landmarks!;
      const searches = [
        bidirectionalAStar(lazy, lazyCost, from, to),
        bidirectionalAStar(lazy, lazyCost, from, to, { landmarks }),
        aStar(lazy, lazyCost, from, to, { landmarks }),
        ...(i % 10 === 0 ? [dijkstra(lazy, lazyCost, from, to)] : []),
      ];
      for (const r of searches) {
        if (want === null) expect(r).toBeNull();
        else expect(close(r!.cost, want.cost)).toBe(true);
      }
      const h = hierarchical(lazy, lazyCost, from, to, { localRadiusMeters: 1000 });
      const hWant = hierarchical(eager, eagerCost, from, to, { localRadiusMeters: 1000 });
      expect(h?.cost ?? null).toBe(hWant?.cost ?? null);
      if (want) routes++;
    }
    expect(routes).toBeGreaterThan(30);
  }, 60_000);

  it('once every tile is loaded, the graph equals the eager one', async () => {
    const lazy = new LazyTileGraph(manifest, new TileCache(dir, 4));
    lazy.ensureArea(0, 0, 1_000); // nothing there
    expect(lazy.loadedTiles.size).toBe(0);
    const mid = node(75, 75);
    lazy.ensureArea(eager.nodeLat[mid]!, eager.nodeLng[mid]!, 12_000);
    expect(lazy.loadedTiles.size).toBe(manifest.tiles.length);
    for (let v = 0; v < eager.nodeCount; v++) lazy.ensure(v);
    // The landmark rows the tiles carry are those of the eager graph's landmarks.
    expect(firstDifference(lazy.landmarks!.dist, Landmarks.build(eager).dist)).toBe(-1);
    const full = await graphFromTiles(await readManifest(dir), new TileCache(dir, 4));
    for (const k of ['nodeLat', 'nodeLng', 'firstOut', 'firstIn', 'inEdges', 'edgeSource', 'edgeTarget', 'edgeLength', 'edgeSpeed', 'edgeClass', 'edgeFlags', 'edgeWay'] as const) {
      expect(firstDifference(lazy[k], eager[k])).toBe(-1);
      expect(firstDifference(full[k], eager[k])).toBe(-1);
    }
    expect([...lazy.bannedTurns].sort()).toEqual([...eager.bannedTurns].sort());
  }, 30_000);
});

describe('RouteService on a lazily loaded Monaco', () => {
  let eager: RoadGraph;
  let dir: string;
  let manifest: TileManifest;
  beforeAll(async () => {
    ({ graph: eager } = await readRoadGraph(fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url))));
    ({ dir, manifest } = await tiled(eager));
  }, 60_000);

  it('answers as the eager service does (distance, ETA, snapped points; edge ids valid for traffic), loading tiles as needed', () => {
    const cache = new TileCache(dir, 8);
    const lazy = new LazyTileGraph(manifest, cache);
    const snapper = new EdgeSnapper(lazy, () => false);
    lazy.onEdges = (edges) => {
      for (const e of edges) snapper.add(e);
    };
    const lazyLive = new LiveSpeedTable(lazy.edgeCount);
    const eagerLive = new LiveSpeedTable(eager.edgeCount);
    expect(lazy.landmarks?.count).toBe(8);
    const lazyService = new RouteService(lazy, snapper, lazyLive, 'v', lazy.landmarks);
    const eagerService = new RouteService(eager, new EdgeSnapper(eager), eagerLive, 'v');
    // A short hop first: only a few of the tiles.
    const short = lazyService.route({ points: [{ lat: 43.7347, lng: 7.4206 }, { lat: 43.7372, lng: 7.4225 }] });
    expect(short.routes[0]!.distance).toBeGreaterThan(100);
    expect(lazy.loadedTiles.size).toBeLessThan(manifest.tiles.length);
    expect(cache.misses).toBe(lazy.loadedTiles.size);
    const rng = new Rng(4);
    const point = () => ({ lat: 43.725 + rng.next() * 0.02, lng: 7.405 + rng.next() * 0.03 });
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const req = { points: [point(), point()] };
      let want;
      try {
        want = eagerService.route(req);
      } catch {
        expect(() => lazyService.route(req)).toThrow();
        continue;
      }
      const got = lazyService.route(req);
      expect(got.snapped).toEqual(want.snapped);
      expect(got.routes[0]!.duration).toBeCloseTo(want.routes[0]!.duration, 1);
      expect(got.routes[0]!.distance).toBeCloseTo(want.routes[0]!.distance, 0);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    // Traffic addresses the same edge ids: a closure on the eager route's edge applies to the lazy graph too.
    const req = { points: [{ lat: 43.7347, lng: 7.4206 }, { lat: 43.7394, lng: 7.4283 }] };
    const before = lazyService.route(req).routes[0]!;
    const mid = before.edges[Math.floor(before.edges.length / 2)]!;
    const now = Date.now();
    for (const live of [lazyLive, eagerLive]) live.apply(Uint32Array.of(mid), Float32Array.of(0), Float64Array.of(now + 60_000), now);
    const after = lazyService.route(req).routes[0]!;
    expect(after.edges).not.toContain(mid);
    expect(after.duration).toBeCloseTo(eagerService.route(req).routes[0]!.duration, 1);
  }, 30_000);
});
