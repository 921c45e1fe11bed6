import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { TileCache } from './tile-cache.js';
import { decodeTile, TileFormatError } from './tile-format.js';
import { graphFromTiles, readManifest } from './tile-graph.js';
import { writeTiles } from './tile-writer.js';

/** A small two-region graph: local streets in two cells, an arterial and a motorway joining them. */
function sample(): RoadGraph {
  const b = new RoadGraphBuilder();
  const a = [b.addNode(43.70, 7.40, 1), b.addNode(43.701, 7.40, 2), b.addNode(43.701, 7.401, 3)];
  const c = [b.addNode(45.3, 9.2, 4), b.addNode(45.301, 9.2, 5)]; // another highway-level cell (~1.4°)
  const [r0] = b.addRoad(a[0]!, a[1]!, { speedKmh: 30, roadClass: RoadClass.residential, name: 'Rue Un', way: 10 });
  const [r1] = b.addRoad(a[1]!, a[2]!, { speedKmh: 30, roadClass: RoadClass.residential, name: 'Rue Deux', way: 11 });
  b.addRoad(a[2]!, c[0]!, { speedKmh: 110, roadClass: RoadClass.motorway, flags: EdgeFlag.toll | EdgeFlag.highway, name: 'A8', way: 12 });
  b.addEdge({ from: c[0]!, to: c[1]!, speedKmh: 50, roadClass: RoadClass.secondary, name: 'Avenue', way: 13 });
  b.restrict(r0, r1, false);
  return b.build();
}

describe('routing tiles', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('write, then assemble an identical graph lazily through the LRU cache', async () => {
    const g = sample();
    const dir = await mkdtemp(join(tmpdir(), 'locus-tiles-'));
    dirs.push(dir);
    const manifest = await writeTiles(g, dir, 'test-v1');
    expect(manifest.tiles.map((t) => t.name.split('/')[0]).sort()).toEqual(['arterial', 'highway', 'highway', 'local']);
    expect(manifest.totalBytes).toBeGreaterThan(0);
    const cache = new TileCache(dir, 2);
    const back = await graphFromTiles(await readManifest(dir), cache);
    for (const k of ['nodeLat', 'nodeLng', 'nodeOsmId', 'firstOut', 'edgeSource', 'edgeTarget', 'edgeLength', 'edgeSpeed', 'edgeClass', 'edgeFlags', 'edgeWay', 'edgeForward', 'firstIn', 'inEdges'] as const) {
      expect(Array.from(back[k])).toEqual(Array.from(g[k]));
    }
    for (let e = 0; e < g.edgeCount; e++) expect(back.names[back.edgeName[e]!]).toBe(g.names[g.edgeName[e]!]);
    expect([...back.bannedTurns]).toEqual([...g.bannedTurns]);
    expect(cache.misses).toBe(4);
    expect(cache.size).toBe(2); // bounded
    expect(cache.evictions).toBe(2);
    await cache.get(manifest.tiles[3]!.name);
    expect(cache.hits).toBe(1);
  });

  it('an edge leaving its tile names the neighbour tile', async () => {
    const g = sample();
    const dir = await mkdtemp(join(tmpdir(), 'locus-tiles-'));
    dirs.push(dir);
    const manifest = await writeTiles(g, dir, 'v');
    const cache = new TileCache(dir, 10);
    const hw = await Promise.all(manifest.tiles.filter((t) => t.name.startsWith('highway')).map((t) => cache.get(t.name)));
    const crossing = hw.find((t) => t.neighbours.length > 0)!;
    expect(crossing.neighbours[0]!.level).toBe(0);
    expect(crossing.neighbours[0]!.hash).not.toBe(crossing.hash);
  });

  it('rejects corrupt tiles with an error, never a crash (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeTile(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(TileFormatError);
        }
      }),
    );
  });
});
