import { describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import type { CostModel } from '../cost/cost-model.js';
import { edgeRecords } from '../cost/edge-records.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { Rng } from '../synthetic/rng.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { LandmarkBounds } from './landmark-bounds.js';
import { Landmarks } from './landmarks.js';
import { nodeDijkstra, UNREACHED } from './node-dijkstra.js';
import { aStar } from './one-way-search.js';

describe('Landmarks', () => {
  const { graph } = gridGraph({ width: 50, height: 50, seed: 4 });
  const lm = Landmarks.build(graph, { count: 6 });

  it('are distinct nodes, spread out (farthest first)', () => {
    expect(new Set(lm.nodes).size).toBe(6);
    expect(lm.byteLength).toBe(graph.nodeCount * 2 * 6 * 4);
  });

  it('give lower bounds on the free-flow time between any two nodes', () => {
    const { f32 } = edgeRecords(graph);
    const ms = Uint32Array.from({ length: graph.edgeCount }, (_, e) => Math.floor(f32[4 * e + 2]! * 1000));
    const rng = new Rng(3);
    const bounds = new LandmarkBounds();
    const exact = new Uint32Array(graph.nodeCount);
    for (let i = 0; i < 20; i++) {
      const s = rng.int(graph.nodeCount);
      nodeDijkstra(graph, ms, s, false, exact, 1, 0);
      for (let j = 0; j < 50; j++) {
        const t = rng.int(graph.nodeCount);
        bounds.begin(lm, [s], [t]);
        if (exact[t] === UNREACHED) continue;
        expect(bounds.toTarget(s) * 1000).toBeLessThanOrEqual(exact[t]! + 1e-6);
        expect(bounds.fromSource(t) * 1000).toBeLessThanOrEqual(exact[t]! + 1e-6);
      }
    }
  });

  it('are refused with another graph or a costing that may go below free flow', () => {
    const costing = new CarCosting(graph);
    const other = gridGraph({ width: 10, height: 10, seed: 1 }).graph;
    const p = { edge: 0, offset: 0 };
    expect(() => aStar(other, new CarCosting(other), p, p, { landmarks: lm })).toThrow(/another graph/);
    const unbounded: CostModel = { minSecondsPerMeter: costing.minSecondsPerMeter, edgeCost: (e) => costing.edgeCost(e) / 2, turnCost: () => 0 };
    expect(() => bidirectionalAStar(graph, unbounded, p, p, { landmarks: lm })).toThrow(/free-flow/);
  });
});
