import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphFromTiles, graphVersion, readManifest, TileCache, writeTiles, type RoadGraph } from '@locus/routing';
import { fmt } from './route-stats.js';
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
