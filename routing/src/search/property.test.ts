import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarCosting, type CarCostingOptions } from '../cost/car-costing.js';
import type { CostModel } from '../cost/cost-model.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { Rng } from '../synthetic/rng.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { hierarchical } from './hierarchical.js';
import { Landmarks } from './landmarks.js';
import { aStar, dijkstra } from './one-way-search.js';
import { pathCost } from './path-cost.js';
import type { Phantom } from './phantom.js';
import { referenceCost } from './reference-search.js';
import type { Route } from './route.js';
import { SearchSpace } from './search-space.js';

const EXACT = { dijkstra, aStar, bidirectionalAStar } as const;

const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** What every route must satisfy whatever the search: its cost is its own path cost, it starts and ends at given phantoms. */
function checkRoute(graph: RoadGraph, costing: CostModel, r: Route, sources: readonly Phantom[], targets: readonly Phantom[]): void {
  expect(sources).toContainEqual(r.from);
  expect(targets).toContainEqual(r.to);
  expect(r.edges[0]).toBe(r.from.edge);
  expect(r.edges[r.edges.length - 1]).toBe(r.to.edge);
  expect(close(pathCost(graph, costing, r.edges, r.from.offset, r.to.offset), r.cost)).toBe(true);
}

// --- random small graphs against the Bellman–Ford reference -----------------------------------------

const offset = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }));
const avoidance = fc.oneof(fc.constant(false), fc.constant(true), fc.double({ min: 0, max: 0.99, noNaN: true }));
const scenario = fc.integer({ min: 2, max: 16 }).chain((n) =>
  fc.record({
    nodes: fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1500 })), { minLength: n, maxLength: n }),
    edges: fc.array(
      fc.record({
        a: fc.nat(n - 1),
        b: fc.nat(n - 1),
        speed: fc.integer({ min: 5, max: 130 }),
        roadClass: fc.integer({ min: 0, max: 9 }),
        flags: fc.integer({ min: 0, max: 7 }),
        // Lengths from the coordinates, or stretched / shrunk (shorter than the straight line too).
        stretch: fc.option(fc.double({ min: 0.3, max: 3, noNaN: true }), { nil: undefined }),
        twoWay: fc.boolean(),
      }),
      { minLength: 1, maxLength: 48 },
    ),
    restrictions: fc.array(fc.record({ from: fc.nat(200), to: fc.nat(200), only: fc.boolean() }), { maxLength: 6 }),
    penalties: fc.record({ straight: fc.integer({ min: 0, max: 5 }), left: fc.integer({ min: 0, max: 60 }), right: fc.integer({ min: 0, max: 60 }), uTurn: fc.integer({ min: 0, max: 600 }) }),
    avoid: fc.record({ tolls: avoidance, highways: avoidance, ferries: avoidance }),
    live: fc.array(fc.record({ edge: fc.nat(200), speed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })), expired: fc.boolean() }), { maxLength: 6 }),
    radius: fc.integer({ min: 0, max: 800 }),
    landmarks: fc.integer({ min: 1, max: 4 }),
    queries: fc.array(
      fc.record({
        from: fc.array(fc.record({ edge: fc.nat(200), offset }), { minLength: 1, maxLength: 2 }),
        to: fc.array(fc.record({ edge: fc.nat(200), offset }), { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function buildScenario(s: Scenario): { graph: RoadGraph; options: CarCostingOptions } {
  const b = new RoadGraphBuilder();
  for (const [x, y] of s.nodes) b.addNode(48 + y / 111_195, 2 + x / 74_400);
  const added: { from: number; to: number }[] = [];
  for (const e of s.edges) {
    const to = e.a === e.b ? (e.b + 1) % s.nodes.length : e.b;
    const [x1, y1] = s.nodes[e.a]!;
    const [x2, y2] = s.nodes[to]!;
    const length = e.stretch === undefined ? undefined : Math.hypot(x2 - x1, y2 - y1) * e.stretch;
    const spec = { speedKmh: e.speed, roadClass: e.roadClass, flags: e.flags, ...(length === undefined ? {} : { length }) };
    b.addEdge({ ...spec, from: e.a, to });
    added.push({ from: e.a, to });
    if (e.twoWay) {
      b.addEdge({ ...spec, from: to, to: e.a });
      added.push({ from: to, to: e.a });
    }
  }
  // Restrictions between adjacent edges: `to` picks among the edges leaving where `from` ends.
  for (const r of s.restrictions) {
    const from = r.from % added.length;
    const next = added.map((e, i) => (e.from === added[from]!.to ? i : -1)).filter((i) => i >= 0);
    if (next.length > 0) b.restrict(from, next[r.to % next.length]!, r.only);
  }
  const graph = b.build();
  const now = 1_000_000;
  const live = { speed: new Float32Array(graph.edgeCount).fill(Number.NaN), expires: new Float64Array(graph.edgeCount) };
  for (const l of s.live) {
    live.speed[l.edge % graph.edgeCount] = l.speed;
    live.expires[l.edge % graph.edgeCount] = l.expired ? now - 1 : now + 1;
  }
  return { graph, options: { turnPenalties: s.penalties, avoid: s.avoid, live, now: () => now } };
}

describe('on random small graphs (fast-check), against Bellman–Ford over the edge states', () => {
  it('Dijkstra, A* and bidirectional A* (also with landmarks) return the optimal cost, hierarchical never less', () => {
    let queries = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { graph, options } = buildScenario(s);
        const costing = new CarCosting(graph, options);
        const landmarks = Landmarks.build(graph, { count: s.landmarks, seed: s.nodes.length });
        for (const q of s.queries) {
          const sources = q.from.map((p) => ({ edge: p.edge % graph.edgeCount, offset: p.offset }));
          const targets = q.to.map((p) => ({ edge: p.edge % graph.edgeCount, offset: p.offset }));
          const want = referenceCost(graph, costing, sources, targets);
          const withLandmarks = {
            'A* + landmarks': () => aStar(graph, costing, sources, targets, { landmarks }),
            'bidirectional A* + landmarks': () => bidirectionalAStar(graph, costing, sources, targets, { landmarks }),
          };
          const searches = [...Object.entries(EXACT).map(([n, f]) => [n, () => f(graph, costing, sources, targets)] as const), ...Object.entries(withLandmarks)];
          for (const [name, search] of searches) {
            const r = search();
            if (want === Infinity) {
              expect(r, name).toBeNull();
              continue;
            }
            expect(r, name).not.toBeNull();
            expect(close(r!.cost, want), `${name}: ${r!.cost} vs ${want}`).toBe(true);
            checkRoute(graph, costing, r!, sources, targets);
          }
          // Not exact, but never cheaper than the optimum, and a route whenever one exists.
          const h = hierarchical(graph, costing, sources, targets, { localRadiusMeters: s.radius });
          if (want === Infinity) expect(h).toBeNull();
          else {
            expect(h).not.toBeNull();
            expect(h!.cost).toBeGreaterThanOrEqual(want * (1 - 1e-9));
            checkRoute(graph, costing, h!, sources, targets);
          }
          queries++;
        }
      }),
      { numRuns: 600, seed: 4242 },
    );
    expect(queries).toBeGreaterThanOrEqual(500);
  });
});

describe('on random small synthetic grids (fast-check), against Bellman–Ford', () => {
  // Grids have many near-equal routes: an inadmissible or inconsistent bound shows up here quickly.
  const grid = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    width: fc.integer({ min: 3, max: 14 }),
    height: fc.integer({ min: 3, max: 14 }),
    oneWayRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
    missingLinkRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    restrictionRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    landmarks: fc.integer({ min: 1, max: 6 }),
    pairs: fc.array(fc.tuple(fc.nat(5000), offset, fc.nat(5000), offset), { minLength: 1, maxLength: 4 }),
  });

  it('every exact search, with or without landmarks, returns the optimal cost', () => {
    fc.assert(
      fc.property(grid, (o) => {
        const { graph } = gridGraph({ ...o, arterialEvery: 4, highwayEvery: 8, ferries: 1 });
        const costing = new CarCosting(graph);
        const landmarks = Landmarks.build(graph, { count: o.landmarks, seed: o.seed });
        for (const [a, ao, b, bo] of o.pairs) {
          const sources = [{ edge: a % graph.edgeCount, offset: ao }];
          const targets = [{ edge: b % graph.edgeCount, offset: bo }];
          const want = referenceCost(graph, costing, sources, targets);
          const got = [
            dijkstra(graph, costing, sources, targets),
            aStar(graph, costing, sources, targets),
            bidirectionalAStar(graph, costing, sources, targets),
            aStar(graph, costing, sources, targets, { landmarks }),
            bidirectionalAStar(graph, costing, sources, targets, { landmarks }),
          ];
          for (const r of got) {
            if (want === Infinity) expect(r).toBeNull();
            else expect(close(r!.cost, want), `${r?.cost} vs ${want}`).toBe(true);
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

// --- a synthetic city against Dijkstra --------------------------------------------------------------

describe('on a synthetic 80 × 80 grid (turn costs and restrictions on), 500 random pairs', () => {
  const { graph } = gridGraph({ width: 80, height: 80, seed: 11, arterialEvery: 8, highwayEvery: 32, restrictionRate: 0.05 });
  const costing = new CarCosting(graph);
  const landmarks = Landmarks.build(graph, { count: 6 });
  // Small on purpose (arterials are 800 m apart): the hierarchy then cuts real corners and has a gap.
  const LOCAL_RADIUS = 300;
  const rng = new Rng(5);
  const pairs = Array.from({ length: 500 }, () => [
    [{ edge: rng.int(graph.edgeCount), offset: rng.next() }],
    [{ edge: rng.int(graph.edgeCount), offset: rng.next() }],
  ]);

  // A generous timeout: seconds on a quiet machine, several times that on a shared one.
  it('A* and bidirectional A* (also with landmarks) cost exactly what Dijkstra does; hierarchical never less (gap reported)', () => {
    expect(graph.bannedTurns.size).toBeGreaterThan(100);
    let routes = 0;
    let gapSum = 0;
    let gapMax = 0;
    let gapN = 0;
    let exact = 0;
    for (const [from, to] of pairs) {
      const ref = dijkstra(graph, costing, from!, to!);
      const exactRoutes = [aStar, bidirectionalAStar].flatMap((f) => [f(graph, costing, from!, to!), f(graph, costing, from!, to!, { landmarks })]);
      for (const r of exactRoutes) {
        if (ref === null) expect(r).toBeNull();
        else {
          expect(close(r!.cost, ref.cost)).toBe(true);
          checkRoute(graph, costing, r!, from!, to!);
        }
      }
      if (ref === null) continue;
      routes++;
      const h = hierarchical(graph, costing, from!, to!, { localRadiusMeters: LOCAL_RADIUS });
      expect(h).not.toBeNull();
      checkRoute(graph, costing, h!, from!, to!);
      const gap = h!.cost / ref.cost - 1;
      expect(gap).toBeGreaterThanOrEqual(-1e-9);
      if (gap <= 1e-9) exact++;
      const guided = hierarchical(graph, costing, from!, to!, { localRadiusMeters: LOCAL_RADIUS, landmarks });
      expect(guided!.cost).toBeGreaterThanOrEqual(ref.cost * (1 - 1e-9));
      gapSum += gap;
      gapN++;
      gapMax = Math.max(gapMax, gap);
    }
    expect(routes).toBeGreaterThan(450);
    console.info(`hierarchical (${LOCAL_RADIUS} m local radius) on ${gapN} routes: mean gap ${((gapSum / gapN) * 100).toFixed(3)} %, max ${(gapMax * 100).toFixed(2)} %, optimal ${exact}`);
  }, 60_000);

  it('scratch reuse is invisible: the same answers in any order, across a generation wrap', () => {
    const space = SearchSpace.of(graph);
    const sample = pairs.slice(0, 20);
    const first = sample.map(([f, t]) => bidirectionalAStar(graph, costing, f!, t!)?.cost ?? null);
    space.gen = 0x7fff_fff0 - 6; // a few queries before the stamps are reset
    const again = [...sample].reverse().map(([f, t]) => (aStar(graph, costing, f!, t!), bidirectionalAStar(graph, costing, f!, t!)?.cost ?? null)).reverse();
    expect(again).toEqual(first);
    expect(space.gen).toBeLessThan(100);
  });
});
