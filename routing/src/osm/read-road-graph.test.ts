import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { ImportStats } from './import-stats.js';
import { readRoadGraph } from './read-road-graph.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));

/** Nodes reachable from `start` along edges (forward) or against them (backward, via the reverse index). */
function reach(g: RoadGraph, start: number, backward: boolean): Uint8Array {
  const seen = new Uint8Array(g.nodeCount);
  const stack = [start];
  seen[start] = 1;
  while (stack.length > 0) {
    const n = stack.pop()!;
    const first = backward ? g.firstIn : g.firstOut;
    for (let i = first[n]!; i < first[n + 1]!; i++) {
      const e = backward ? g.inEdges[i]! : i;
      const m = backward ? g.edgeSource[e]! : g.edgeTarget[e]!;
      if (!seen[m]) {
        seen[m] = 1;
        stack.push(m);
      }
    }
  }
  return seen;
}

describe('readRoadGraph on data/monaco.osm.pbf', () => {
  let g: RoadGraph;
  let stats: ImportStats;
  const progress: number[] = [];

  beforeAll(async () => {
    ({ graph: g, stats } = await readRoadGraph(MONACO, (read, total) => progress.push(read / total)));
  });

  it('has plausible counts and reports progress up to the whole file', () => {
    expect(g.nodeCount).toBeGreaterThan(10_000);
    expect(g.nodeCount).toBeLessThan(30_000);
    expect(g.edgeCount).toBeGreaterThan(1.5 * g.nodeCount);
    expect(g.edgeCount).toBeLessThan(2.5 * g.nodeCount);
    expect(stats.nodes).toBe(g.nodeCount);
    expect(stats.ways.kept).toBeGreaterThan(1_000);
    expect(stats.ways.skipped.notForCars).toBeGreaterThan(1_000); // footways, steps, paths…
    expect(stats.oneways).toBeGreaterThan(500);
    expect(progress.at(-1)).toBe(1);
  });

  it('has toll edges and motorway edges', () => {
    let toll = 0;
    let motorway = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      if (g.edgeFlags[e]! & EdgeFlag.toll) toll++;
      if (g.edgeClass[e] === RoadClass.motorway) motorway++;
    }
    expect(toll).toBeGreaterThan(0);
    expect(motorway).toBeGreaterThan(0);
    expect(stats.tolls).toBeGreaterThan(20); // data/README: 30 toll ways
  });

  it('applies the turn restrictions (27 relations, all via a node)', () => {
    expect(stats.restrictions.applied).toBeGreaterThan(0);
    expect(stats.restrictions.applied).toBeLessThanOrEqual(27);
    expect(g.bannedTurns.size).toBeGreaterThanOrEqual(stats.restrictions.applied);
  });

  it('puts no car on the passenger boat', () => {
    expect(stats.ferries).toBe(0);
    expect(stats.ways.skipped.passengerFerry).toBe(1);
    expect(g.edgeClass.includes(RoadClass.ferry)).toBe(false);
  });

  it('has edges between 0 and 5 km long and sane speeds', () => {
    const bad: number[] = [];
    for (let e = 0; e < g.edgeCount; e++) {
      if (!(g.edgeLength[e]! > 0 && g.edgeLength[e]! < 5_000 && g.edgeSpeed[e]! > 0)) bad.push(e);
    }
    expect(bad).toEqual([]);
    expect(g.maxSpeedKmh).toBeLessThanOrEqual(130);
  });

  it('is mostly one strongly connected component around the centre of Monaco', () => {
    // The node nearest to the Place du Casino.
    let start = 0;
    let best = Infinity;
    for (let n = 0; n < g.nodeCount; n++) {
      const d = (g.nodeLat[n]! - 43.7396) ** 2 + (g.nodeLng[n]! - 7.4276) ** 2;
      if (d < best && g.firstOut[n + 1]! > g.firstOut[n]!) [best, start] = [d, n];
    }
    const out = reach(g, start, false);
    const back = reach(g, start, true);
    let both = 0;
    for (let n = 0; n < g.nodeCount; n++) if (out[n] && back[n]) both++;
    expect(both / g.nodeCount).toBeGreaterThan(0.8);
  });
});
