import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEngine } from '@locus/engine';
import { edgeTile, LazyTileGraph, resolveBatch, tileName, TrafficBody } from '@locus/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { loadRoutingData, type RoutingData } from './routing-data.js';

const MONACO = new URL('../../../data/monaco.osm.pbf', import.meta.url).pathname;

describe('loadRoutingData, lazily (Monaco with the size threshold at 0)', () => {
  let tiles: string;
  let engine: MemoryEngine;
  let lazy: RoutingData;
  let eager: RoutingData;

  beforeAll(async () => {
    tiles = await mkdtemp(join(tmpdir(), 'locus-rd-tiles-'));
    engine = new MemoryEngine();
    const log = createLogger('silent', 'test');
    eager = await loadRoutingData(MONACO, tiles, 64, engine, log);
    lazy = await loadRoutingData(MONACO, tiles, 64, engine, log, 0);
  }, 60_000);
  afterAll(async () => {
    await engine.close();
    await rm(tiles, { recursive: true, force: true });
  });

  it('reads no tile at start, then only the tiles a route reaches; answers as the eager graph does', () => {
    expect(lazy.graph).toBeInstanceOf(LazyTileGraph);
    expect(lazy.tiles.misses).toBe(0);
    expect(lazy.traffic.graphVersion).toBe(eager.traffic.graphVersion);
    const req = { points: [{ lat: 43.7347, lng: 7.4206 }, { lat: 43.7372, lng: 7.4225 }] };
    const got = lazy.service.route(req);
    expect(lazy.tiles.misses).toBeGreaterThan(0);
    expect(lazy.tiles.misses).toBeLessThan(lazy.manifest.tiles.length);
    const want = eager.service.route(req);
    expect(got.routes[0]!.edges).toEqual(want.routes[0]!.edges);
    expect(got.routes[0]!.duration).toBe(want.routes[0]!.duration);
    expect(got.graphVersion).toBe(want.graphVersion);
  });

  it('knows the tile of an edge not loaded yet, and loads it on demand', () => {
    const g = lazy.graph as LazyTileGraph;
    let e = g.edgeCount - 1;
    while (e > 0 && g.edgeLoaded[e] === 1) e--;
    expect(g.edgeLoaded[e]).toBe(0);
    expect(tileName(edgeTile(g, e))).toBe(tileName(edgeTile(eager.graph, e)));
    g.ensureEdge(e);
    expect(g.edgeLoaded[e]).toBe(1);
    expect(g.edgeWay[e]).toBe(eager.graph.edgeWay[e]);
    expect(g.edgeLength[e]).toBe(eager.graph.edgeLength[e]);
  });

  it('resolves traffic by way id for ways no search has loaded', () => {
    const g = lazy.graph as LazyTileGraph;
    let e = 0;
    while (e < g.edgeCount && (g.edgeLoaded[e] === 1 || eager.graph.edgeWay[e] === 0)) e++;
    const way = eager.graph.edgeWay[e]!;
    const body = TrafficBody.parse({ updates: [{ way, direction: 'both', speed: 20, ttl: 60 }] });
    const now = Date.now();
    expect(Array.from(resolveBatch(body, g, lazy.ways, now).edges)).toEqual(Array.from(resolveBatch(body, eager.graph, eager.ways, now).edges));
  });
});
