import { describe, expect, it } from 'vitest';
import { EdgeFlag, Level, levelOf, RoadClass } from '../graph/road-class.js';
import { gridGraph } from './grid-graph.js';
import { hilbertOrder } from './hilbert-order.js';

describe('gridGraph', () => {
  const a = gridGraph({ width: 120, height: 100, seed: 7 });
  const g = a.graph;

  it('is deterministic by seed', () => {
    const b = gridGraph({ width: 120, height: 100, seed: 7 }).graph;
    expect(b.edgeCount).toBe(g.edgeCount);
    expect(Buffer.from(b.edgeTarget.buffer).equals(Buffer.from(g.edgeTarget.buffer))).toBe(true);
    expect(Buffer.from(b.nodeLat.buffer).equals(Buffer.from(g.nodeLat.buffer))).toBe(true);
    expect([...b.bannedTurns]).toEqual([...g.bannedTurns]);
    expect(gridGraph({ width: 120, height: 100, seed: 8 }).graph.edgeCount).not.toBe(g.edgeCount);
  });

  it('has every level, one-ways, tolls, motorway flags, ferries and turn restrictions', () => {
    expect(g.nodeCount).toBe(12_000);
    const levels = new Set<number>();
    let tolls = 0;
    let ferries = 0;
    let motorways = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      levels.add(levelOf(g.edgeClass[e]!));
      if (g.edgeFlags[e]! & EdgeFlag.toll) tolls++;
      if (g.edgeFlags[e]! & EdgeFlag.ferry) ferries++;
      if (g.edgeClass[e] === RoadClass.motorway) {
        motorways++;
        expect(g.edgeFlags[e]! & EdgeFlag.highway).toBeTruthy();
      }
    }
    expect([...levels].sort()).toEqual([Level.highway, Level.arterial, Level.local]);
    expect(tolls).toBeGreaterThan(0);
    expect(motorways).toBeGreaterThan(0);
    expect(gridGraph({ width: 400, height: 400, seed: 1 }).graph.edgeFlags.some((f) => (f & EdgeFlag.ferry) !== 0)).toBe(true);
    expect(ferries).toBeGreaterThanOrEqual(0);
    expect(g.bannedTurns.size).toBeGreaterThan(0);
    // One-ways: some edge without its reverse.
    let oneWays = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      const s = g.edgeSource[e]!;
      const t = g.edgeTarget[e]!;
      let back = false;
      for (let f = g.firstOut[t]!; f < g.firstOut[t + 1]!; f++) if (g.edgeTarget[f] === s) back = true;
      if (!back) oneWays++;
    }
    expect(oneWays).toBeGreaterThan(0);
  });

  it('places intersections about 100 m apart, numbered along a Hilbert curve', () => {
    const lat = (x: number, y: number) => g.nodeLat[a.node(x, y)]!;
    expect((lat(0, 50) - lat(0, 0)) * 111_195).toBeGreaterThan(4900);
    expect((lat(0, 50) - lat(0, 0)) * 111_195).toBeLessThan(5100);
    const ids = hilbertOrder(120, 100);
    expect(new Set(ids).size).toBe(12_000);
    expect(Math.max(...ids)).toBe(11_999);
    expect(a.node(3, 4)).toBe(ids[4 * 120 + 3]);
  });

  it('builds a million intersections in seconds', () => {
    const t0 = performance.now();
    const big = gridGraph({ width: 1000, height: 1000, seed: 1 }).graph;
    const ms = performance.now() - t0;
    expect(big.nodeCount).toBe(1_000_000);
    expect(big.edgeCount).toBeGreaterThan(3_000_000);
    console.info(`1M-node grid: ${big.edgeCount} edges in ${ms.toFixed(0)} ms`);
  }, 60_000);
});
