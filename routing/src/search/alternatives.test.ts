import { describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { Rng } from '../synthetic/rng.js';
import { alternatives } from './alternatives.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { FixtureBuilder } from './fixture.js';
import { pathCost } from './path-cost.js';
import type { Route } from './route.js';

/** Metres of `r` on edges of `k` (first / last edges by their driven fraction). */
function sharedMeters(r: Route, k: Route, length: Float32Array): number {
  const ks = new Set(k.edges);
  let m = 0;
  r.edges.forEach((e, i) => {
    if (!ks.has(e)) return;
    const n = r.edges.length;
    const f = n === 1 ? r.to.offset - r.from.offset : i === 0 ? 1 - r.from.offset : i === n - 1 ? r.to.offset : 1;
    m += length[e]! * f;
  });
  return m;
}

describe('alternatives (penalty method)', () => {
  const { graph } = gridGraph({ width: 60, height: 60, seed: 2 });
  const costing = new CarCosting(graph);
  const rng = new Rng(9);

  it('up to 3 routes: the optimum, then cheapest first, each ≤ 1.4 × its cost and ≤ 60 % shared with routes kept before it', () => {
    let withAlternatives = 0;
    let total = 0;
    for (let i = 0; i < 40; i++) {
      const from = { edge: rng.int(graph.edgeCount), offset: rng.next() };
      const to = { edge: rng.int(graph.edgeCount), offset: rng.next() };
      const best = bidirectionalAStar(graph, costing, from, to);
      const routes = alternatives(graph, costing, from, to);
      if (best === null) {
        expect(routes).toEqual([]);
        continue;
      }
      total++;
      expect(routes.length).toBeGreaterThanOrEqual(1);
      expect(routes.length).toBeLessThanOrEqual(3);
      expect(routes[0]!.cost).toBeCloseTo(best.cost, 6);
      if (routes.length > 1) withAlternatives++;
      routes.forEach((r, j) => {
        expect(pathCost(graph, costing, r.edges, r.from.offset, r.to.offset)).toBeCloseTo(r.cost, 6);
        expect(r.cost).toBeLessThanOrEqual(1.4 * best.cost + 1e-9);
        if (j > 0) {
          expect(r.cost).toBeGreaterThanOrEqual(routes[j - 1]!.cost);
          expect(sharedMeters(r, routes[0]!, graph.edgeLength)).toBeLessThanOrEqual(0.6 * routes[0]!.meters + 1e-6);
        }
      });
      // Of two alternatives, the one kept later shares at most 60 % of the other's length.
      for (let a = 1; a < routes.length; a++) {
        for (let b = a + 1; b < routes.length; b++) {
          const [x, y] = [routes[a]!, routes[b]!];
          expect(Math.min(sharedMeters(x, y, graph.edgeLength) / y.meters, sharedMeters(y, x, graph.edgeLength) / x.meters)).toBeLessThanOrEqual(0.6 + 1e-9);
        }
      }
    }
    console.info(`alternatives: ${withAlternatives} of ${total} routes got at least one alternative`);
    expect(withAlternatives).toBeGreaterThan(total / 2);
  });

  it('count 1 is the best route alone; no route, no alternatives', () => {
    const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 500, 0).node('D', 600, 0);
    b.road('A', 'B');
    b.road('C', 'D');
    const f = b.build();
    const c = new CarCosting(f.graph);
    expect(alternatives(f.graph, c, f.at('A'), f.arrive('D'))).toEqual([]);
    expect(alternatives(f.graph, c, f.at('A'), f.arrive('B'), { count: 1 })).toHaveLength(1);
    // A single street has no alternative.
    expect(alternatives(f.graph, c, f.at('A'), f.arrive('B'))).toHaveLength(1);
  });
});
