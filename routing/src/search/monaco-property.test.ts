import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { readRoadGraph } from '../osm/read-road-graph.js';
import { Rng } from '../synthetic/rng.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { hierarchical } from './hierarchical.js';
import { Landmarks } from './landmarks.js';
import { aStar, dijkstra } from './one-way-search.js';
import { pathCost } from './path-cost.js';
import type { Phantom } from './phantom.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/**
 * The exactness property on the real Monaco graph (turn costs, one-ways, restrictions, tolls as
 * imported): 500 random pairs of points on random edges. The hierarchical mode's gap is printed.
 */
describe('on the Monaco graph, 500 random pairs', () => {
  let graph: RoadGraph;
  let landmarks: Landmarks;
  let pairs: [Phantom[], Phantom[]][];
  /** Dijkstra's cost per pair (null: no route), from the first test. */
  const optimum: (number | null)[] = [];

  beforeAll(async () => {
    ({ graph } = await readRoadGraph(MONACO));
    landmarks = Landmarks.build(graph);
    // Edges inside the main strongly connected part (ignoring turns), so few pairs are unconnected:
    // an unconnected pair costs every search a sweep of the whole graph and proves little.
    const core = stronglyConnectedWith(graph, graph.edgeSource[Math.floor(graph.edgeCount / 2)]!);
    const coreEdges: number[] = [];
    for (let e = 0; e < graph.edgeCount; e++) if (core[graph.edgeSource[e]!] && core[graph.edgeTarget[e]!]) coreEdges.push(e);
    const rng = new Rng(42);
    const pick = (): Phantom[] => [{ edge: coreEdges[rng.int(coreEdges.length)]!, offset: rng.next() }];
    pairs = Array.from({ length: 500 }, () => [pick(), pick()]);
  }, 60_000);

  it('A*, bidirectional A* (with and without landmarks) cost exactly what Dijkstra does', () => {
    const costing = new CarCosting(graph);
    let routes = 0;
    for (const [from, to] of pairs) {
      const ref = dijkstra(graph, costing, from, to);
      optimum.push(ref?.cost ?? null);
      for (const r of [
        aStar(graph, costing, from, to),
        aStar(graph, costing, from, to, { landmarks }),
        bidirectionalAStar(graph, costing, from, to),
        bidirectionalAStar(graph, costing, from, to, { landmarks }),
      ]) {
        if (ref === null) {
          expect(r).toBeNull();
          continue;
        }
        expect(r).not.toBeNull();
        expect(close(r!.cost, ref.cost)).toBe(true);
        expect(close(pathCost(graph, costing, r!.edges, r!.from.offset, r!.to.offset), r!.cost)).toBe(true);
      }
      if (ref !== null) routes++;
    }
    // A banned turn can still cut a pair off; nearly all connect.
    expect(routes).toBeGreaterThan(450);
  }, 60_000);

  it('still exact under live traffic (slowdowns and closures on 2,000 random edges)', () => {
    const live = new LiveSpeedTable(graph.edgeCount);
    const rng = new Rng(7);
    const n = 2000;
    const edges = Uint32Array.from({ length: n }, () => rng.int(graph.edgeCount));
    const speeds = Float32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 0 : 5 + rng.int(40)));
    const now = Date.now();
    live.apply(edges, speeds, new Float64Array(n).fill(now + 3_600_000), now);
    const costing = new CarCosting(graph, { live, avoid: { tolls: 0.5 } });
    for (const [from, to] of pairs.slice(0, 150)) {
      const ref = dijkstra(graph, costing, from, to);
      for (const r of [aStar(graph, costing, from, to, { landmarks }), bidirectionalAStar(graph, costing, from, to, { landmarks })]) {
        if (ref === null) expect(r).toBeNull();
        else expect(close(r!.cost, ref.cost)).toBe(true);
      }
    }
  }, 60_000);

  it('hierarchical is never cheaper than the optimum; its gap is measured', () => {
    const costing = new CarCosting(graph);
    const lines: string[] = [];
    expect(optimum.length).toBe(pairs.length);
    for (const radius of [3000, 1000]) {
      let sum = 0;
      let max = 0;
      let n = 0;
      let optimal = 0;
      pairs.forEach(([from, to], i) => {
        const best = optimum[i];
        // Unconnected pairs are left out: the mode falls back to the exact search there (tested above).
        if (best === null || best === undefined) return;
        const h = hierarchical(graph, costing, from, to, { localRadiusMeters: radius, landmarks });
        expect(h).not.toBeNull();
        const gap = h!.cost / best - 1;
        expect(gap).toBeGreaterThanOrEqual(-1e-9);
        if (gap <= 1e-9) optimal++;
        sum += gap;
        max = Math.max(max, gap);
        n++;
      });
      lines.push(`${radius} m: mean ${((sum / n) * 100).toFixed(3)} %, max ${(max * 100).toFixed(2)} %, optimal ${optimal}/${n}`);
    }
    console.info(`hierarchical optimality gap on Monaco (local radius): ${lines.join('; ')}`);
  }, 60_000);
});

/** Nodes both reachable from `start` and reaching it along edges (turns ignored). */
function stronglyConnectedWith(g: RoadGraph, start: number): Uint8Array {
  const sweep = (backward: boolean): Uint8Array => {
    const seen = new Uint8Array(g.nodeCount);
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const n = stack.pop()!;
      const first = backward ? g.firstIn : g.firstOut;
      for (let i = first[n]!; i < first[n + 1]!; i++) {
        const m = backward ? g.edgeSource[g.inEdges[i]!]! : g.edgeTarget[i]!;
        if (seen[m] === 0) {
          seen[m] = 1;
          stack.push(m);
        }
      }
    }
    return seen;
  };
  const fwd = sweep(false);
  const bwd = sweep(true);
  for (let v = 0; v < g.nodeCount; v++) fwd[v] = fwd[v]! & bwd[v]!;
  return fwd;
}
