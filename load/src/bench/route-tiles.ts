import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bidirectionalAStar, CarCosting, graphFromTiles, Landmarks, graphVersion, LazyTileGraph, readManifest, TileCache, writeTiles, type RoadGraph } from '@locus/routing';
import type { Query } from './route-queries.js';
import { mismatches, runQueries, type Search } from './route-run.js';
import { fmt, ms, percentile } from './route-stats.js';
import { mib } from './route-graph-bytes.js';

/** Cut the graph into routing tiles in a temporary directory: tile count, bytes, write and full-load times. */
export async function tileLines(graph: RoadGraph, label: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'locus-bench-tiles-'));
  try {
    let t0 = performance.now();
    const manifest = await writeTiles(graph, dir, graphVersion(graph));
    const writeMs = performance.now() - t0;
    const largest = Math.max(...manifest.tiles.map((t) => t.bytes));
    t0 = performance.now();
    const cache = new TileCache(dir, manifest.tiles.length);
    await graphFromTiles(await readManifest(dir), cache);
    const loadMs = performance.now() - t0;
    const byLevel = new Map<string, number>();
    for (const t of manifest.tiles) {
      const level = t.name.split('/')[0]!;
      byLevel.set(level, (byLevel.get(level) ?? 0) + t.bytes);
    }
    return [
      `${label} routing tiles: ${fmt(manifest.tiles.length)} tiles, ${mib(manifest.totalBytes)} (${[...byLevel].map(([l, b]) => `${l} ${mib(b)}`).join(', ')}; largest tile ${mib(largest)}); ` +
        `written in ${fmt(writeMs)} ms, every tile read back into a graph in ${fmt(loadMs)} ms`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The same queries on a LazyTileGraph over the graph's tiles: the cold pass reads tiles as the
 * searches reach them (first-query time, tiles read), the warm pass measures the search on the
 * assembled graph (bidirectional A* with the landmarks the tiles carry, what /v1/route runs).
 */
export async function lazyLines(graph: RoadGraph, queries: readonly Query[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'locus-bench-lazy-'));
  try {
    const manifest = await writeTiles(graph, dir, graphVersion(graph));
    const cache = new TileCache(dir, 64);
    const lazy = new LazyTileGraph(manifest, cache);
    const costing = new CarCosting(lazy);
    const landmarks = lazy.landmarks ? { landmarks: lazy.landmarks } : {};
    const search: Search = (g, c, f, t) => bidirectionalAStar(g, c, f, t, landmarks);
    const cold: number[] = [];
    let firstTiles = 0;
    for (const q of queries) {
      const t0 = performance.now();
      for (const p of [q.source, q.target]) {
        const s = graph.edgeSource[p.edge]!;
        lazy.ensureArea(graph.nodeLat[s]!, graph.nodeLng[s]!, 10);
      }
      bidirectionalAStar(lazy, costing, q.source, q.target, landmarks);
      cold.push(performance.now() - t0);
      if (cold.length === 1) firstTiles = lazy.loadedTiles.size;
    }
    const warm = runQueries(lazy, costing, search, queries);
    const eagerLm = Landmarks.build(graph);
    const eager = runQueries(graph, new CarCosting(graph), (g, c, f, t) => bidirectionalAStar(g, c, f, t, { landmarks: eagerLm }), queries);
    const bad = mismatches(warm.costs, eager.costs);
    const p = (xs: number[]): string => `p50 ${ms(percentile(xs, 0.5))}, p99 ${ms(percentile(xs, 0.99))}`;
    return [
      `lazily loaded tiles (LazyTileGraph, bidirectional A* + the tiles' landmarks: what /v1/route runs), ${queries.length} queries:`,
      `  first query read ${firstTiles} of ${manifest.tiles.length} tiles in ${ms(cold[0] ?? Number.NaN)}; cold pass ${p(cold)}, ${lazy.loadedTiles.size} tiles read in all (cache misses ${cache.misses})`,
      `  warm: ${p(warm.samples.ms)} (eager graph, bidirectional A* + landmarks: ${p(eager.samples.ms)}); cost ≠ eager: ${bad}/${queries.length}`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
