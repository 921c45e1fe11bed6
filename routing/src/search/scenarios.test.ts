import { describe, expect, it } from 'vitest';
import { CarCosting, type CarCostingOptions } from '../cost/car-costing.js';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { turnKey } from '../graph/road-graph.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { FixtureBuilder, type Fixture } from './fixture.js';
import { hierarchical } from './hierarchical.js';
import { aStar, dijkstra } from './one-way-search.js';
import { pathCost } from './path-cost.js';
import type { Phantoms, Phantom } from './phantom.js';
import { referenceCost } from './reference-search.js';
import type { Route } from './route.js';

/** Edge lengths come from coordinates, so by-hand costs hold to ~1e-6 relative: compare them to 3 decimals. */
const NO_TURN_PENALTIES = { turnPenalties: { straight: 0, left: 0, right: 0, uTurn: 0 } };
const SEARCHES = { dijkstra, aStar, bidirectionalAStar, hierarchical } as const;

const list = (p: Phantoms): readonly Phantom[] => (Array.isArray(p) ? p : [p as Phantom]);

/**
 * Runs every search; each must agree with the Bellman–Ford reference (the hierarchical mode is exact
 * on graphs this small), return a route whose cost is its own path cost, and never use a banned turn.
 * Returns the Dijkstra route.
 */
function route(f: Fixture, options: CarCostingOptions, from: Phantoms, to: Phantoms): Route | null {
  const costing = new CarCosting(f.graph, options);
  const want = referenceCost(f.graph, costing, list(from), list(to));
  let first: Route | null | undefined;
  for (const [name, search] of Object.entries(SEARCHES)) {
    const r = search(f.graph, costing, from, to);
    if (first === undefined) first = r;
    if (want === Infinity) {
      expect(r, name).toBeNull();
      continue;
    }
    expect(r, name).not.toBeNull();
    expect(r!.cost, name).toBeCloseTo(want, 9);
    expect(pathCost(f.graph, costing, r!.edges, r!.from.offset, r!.to.offset), name).toBeCloseTo(r!.cost, 9);
    for (let i = 1; i < r!.edges.length; i++) expect(f.graph.bannedTurns.has(turnKey(r!.edges[i - 1]!, r!.edges[i]!)), name).toBe(false);
  }
  return first ?? null;
}

describe('one-way streets', () => {
  // A — B is one-way B → A: from A the route goes round the block A → D → C → B.
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 100, 100).node('D', 0, 100);
  b.oneWay('B', 'A');
  b.road('A', 'D');
  b.road('D', 'C');
  b.road('C', 'B');
  const f = b.build();

  it('are driven only their way', () => {
    expect(f.names(route(f, NO_TURN_PENALTIES, f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'D', 'C', 'B']);
    const back = route(f, NO_TURN_PENALTIES, f.at('B'), f.arrive('A'))!;
    expect(f.names(back.edges)).toEqual(['B', 'A']);
    expect(back.cost).toBeCloseTo(10, 3); // 100 m at 10 m/s
  });
});

describe('turn restrictions', () => {
  // W — X — E in a line, N north of X, NE closing the block E — NE — N, S south of X.
  const build = (restrict: (b: FixtureBuilder, wx: number, xn: number, xe: number) => void): Fixture => {
    const b = new FixtureBuilder().node('W', -100, 0).node('X', 0, 0).node('E', 100, 0).node('N', 0, 100).node('NE', 100, 100).node('S', 0, -100);
    const [wx] = b.road('W', 'X');
    const [xe] = b.road('X', 'E');
    const [xn] = b.road('X', 'N');
    b.road('X', 'S');
    b.road('E', 'NE');
    b.road('NE', 'N');
    restrict(b, wx, xn, xe);
    return b.build();
  };
  const fromWest = (f: Fixture): Phantom => ({ edge: f.edge('W', 'X'), offset: 0.5 });

  it('take the direct turn when allowed', () => {
    const f = build(() => {});
    expect(f.names(route(f, {}, fromWest(f), f.arrive('N'))!.edges)).toEqual(['W', 'X', 'N']);
  });

  it('never use a banned turn: the detour round the block is taken', () => {
    const f = build((b, wx, xn) => b.restrict(wx, xn));
    expect(f.names(route(f, {}, fromWest(f), f.arrive('N'))!.edges)).toEqual(['W', 'X', 'E', 'NE', 'N']);
  });

  it('only_straight_on: every other turn out of the edge is banned, the u-turn included', () => {
    const f = build((b, wx, _xn, xe) => b.restrict(wx, xe, true));
    expect(f.names(route(f, {}, fromWest(f), f.arrive('N'))!.edges)).toEqual(['W', 'X', 'E', 'NE', 'N']);
    // To S: straight on to E, round the block back to X (cheaper than a u-turn at E), then south.
    expect(f.names(route(f, {}, fromWest(f), f.arrive('S'))!.edges)).toEqual(['W', 'X', 'E', 'NE', 'N', 'X', 'S']);
  });

  it('u-turns are a last resort, and never where banned', () => {
    // A dead-end street: back from mid A → B to A only by turning round at B.
    const street = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0);
    street.road('A', 'B');
    const s = street.build();
    const r = route(s, {}, { edge: s.edge('A', 'B'), offset: 0.5 }, s.arrive('A'))!;
    expect(s.names(r.edges)).toEqual(['A', 'B', 'A']);
    expect(r.cost).toBeCloseTo(5 + 300 + 10, 3);
    // With a block to drive round, the u-turn (300 s) loses to the detour.
    const f = build(() => {});
    expect(f.names(route(f, {}, fromWest(f), f.arrive('W'))!.edges)).toEqual(['W', 'X', 'N', 'NE', 'E', 'X', 'W']);
    const banned = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0);
    const [ab, ba] = banned.road('A', 'B');
    banned.restrict(ab, ba);
    const g = banned.build();
    expect(route(g, {}, { edge: g.edge('A', 'B'), offset: 0.5 }, g.arrive('A'))).toBeNull();
  });
});

describe('avoidance', () => {
  // A to B: a 1 km toll motorway (36 s at 100 km/h) or a free 50 km/h road via C (≈ 92 s).
  const build = (flags: number, roadClass: number): Fixture => {
    const b = new FixtureBuilder().node('A', 0, 0).node('B', 1000, 0).node('C', 500, 400);
    b.oneWay('A', 'B', { speedKmh: 100, roadClass, flags });
    b.oneWay('A', 'C', { speedKmh: 50, roadClass: RoadClass.secondary });
    b.oneWay('C', 'B', { speedKmh: 50, roadClass: RoadClass.secondary });
    return b.build();
  };
  const cases = [
    ['tolls', EdgeFlag.toll, RoadClass.primary],
    ['highways', EdgeFlag.highway, RoadClass.motorway],
    ['ferries', 0, RoadClass.ferry],
  ] as const;

  for (const [what, flags, roadClass] of cases) {
    it(`${what}: hard avoidance changes the route, or finds none`, () => {
      const f = build(flags, roadClass);
      const options = { ...NO_TURN_PENALTIES };
      expect(f.names(route(f, options, f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'B']);
      expect(f.names(route(f, { ...options, avoid: { [what]: true } }, f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'C', 'B']);
      // Only the avoided edge reaches B from A's side when the free road is gone.
      const only = new FixtureBuilder().node('A', 0, 0).node('B', 1000, 0);
      only.oneWay('A', 'B', { speedKmh: 100, roadClass, flags });
      const g = only.build();
      expect(route(g, { avoid: { [what]: true } }, g.at('A'), g.arrive('B'))).toBeNull();
    });

    it(`${what}: a soft preference flips the route only when the detour is cheap enough`, () => {
      const f = build(flags, roadClass);
      // Detour ≈ 92 s vs 36 s: ×(1 + 4p) flips it when p > (92/36 − 1) / 4 ≈ 0.39.
      expect(f.names(route(f, { ...NO_TURN_PENALTIES, avoid: { [what]: 0.2 } }, f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'B']);
      expect(f.names(route(f, { ...NO_TURN_PENALTIES, avoid: { [what]: 0.6 } }, f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'C', 'B']);
    });
  }
});

describe('live traffic', () => {
  // A → B direct 200 m, or A → C → B 2 × ~224 m.
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 200, 0).node('C', 100, 200);
  b.road('A', 'B');
  b.road('A', 'C');
  b.road('C', 'B');
  const f = b.build();
  const now = 1_000_000;
  const overlay = (speed: number, expires: number) => {
    const live = { speed: new Float32Array(f.graph.edgeCount).fill(Number.NaN), expires: new Float64Array(f.graph.edgeCount) };
    live.speed[f.edge('A', 'B')] = speed;
    live.expires[f.edge('A', 'B')] = expires;
    return { ...NO_TURN_PENALTIES, live, now: () => now };
  };

  it('a closure (speed 0) forces the detour', () => {
    expect(f.names(route(f, overlay(0, now + 60_000), f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'C', 'B']);
  });

  it('a slow live speed can make the detour faster', () => {
    expect(f.names(route(f, overlay(5, now + 60_000), f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'C', 'B']);
    expect(f.names(route(f, overlay(30, now + 60_000), f.at('A'), f.arrive('B'))!.edges)).toEqual(['A', 'B']);
  });

  it('an expired live speed is ignored', () => {
    const r = route(f, overlay(0, now - 1), f.at('A'), f.arrive('B'))!;
    expect(f.names(r.edges)).toEqual(['A', 'B']);
    expect(r.cost).toBeCloseTo(20, 3);
  });
});

describe('start and end on the same edge', () => {
  // A two-way street A — B (100 m, 10 s each way) closed into a loop by B — C — A.
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 50, 80);
  b.road('A', 'B');
  b.road('B', 'C');
  b.road('C', 'A');
  const f = b.build();
  const ab = f.edge('A', 'B');
  const ba = f.edge('B', 'A');

  it('ahead on the edge: just the part between', () => {
    const r = route(f, {}, { edge: ab, offset: 0.2 }, { edge: ab, offset: 0.7 })!;
    expect(Array.from(r.edges)).toEqual([ab]);
    expect(r.cost).toBeCloseTo(5, 3);
    expect(r.meters).toBeCloseTo(50, 3);
  });

  it('behind on the edge: leave, go round, come back', () => {
    const r = route(f, {}, { edge: ab, offset: 0.7 }, { edge: ab, offset: 0.2 })!;
    expect(f.names(r.edges)).toEqual(['A', 'B', 'C', 'A', 'B']);
    expect(r.meters).toBeCloseTo(30 + 2 * Math.hypot(50, 80) + 20, 0);
  });

  it('a point on a two-way street is both directions: the cheaper is taken', () => {
    // At 70 % of A → B, to 20 %: on B → A that is 30 % → 80 %, 5 s straight on.
    const r = route(f, {}, [{ edge: ab, offset: 0.7 }, { edge: ba, offset: 0.3 }], [{ edge: ab, offset: 0.2 }, { edge: ba, offset: 0.8 }])!;
    expect(Array.from(r.edges)).toEqual([ba]);
    expect(r.from).toEqual({ edge: ba, offset: 0.3 });
    expect(r.cost).toBeCloseTo(5, 3);
  });

  it('the same point: a zero-cost route', () => {
    const r = route(f, {}, { edge: ab, offset: 0.4 }, { edge: ab, offset: 0.4 })!;
    expect(r.cost).toBe(0);
    expect(Array.from(r.edges)).toEqual([ab]);
  });
});

describe('unreachable', () => {
  it('null when no route exists', () => {
    const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 1000, 0).node('D', 1100, 0);
    b.road('A', 'B');
    b.road('C', 'D');
    const f = b.build();
    expect(route(f, {}, f.at('A'), f.arrive('D'))).toBeNull();
  });

  it('null when the only way is a closed edge; standing at its very end is still fine', () => {
    const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 200, 0);
    b.oneWay('A', 'B');
    b.oneWay('B', 'C');
    const f = b.build();
    const live = { speed: new Float32Array(f.graph.edgeCount).fill(Number.NaN), expires: new Float64Array(f.graph.edgeCount).fill(Infinity) };
    live.speed[f.edge('A', 'B')] = 0;
    expect(route(f, { live }, { edge: f.edge('A', 'B'), offset: 0.5 }, f.arrive('C'))).toBeNull();
    expect(route(f, { live }, { edge: f.edge('A', 'B'), offset: 1 }, f.arrive('C'))!.cost).toBeCloseTo(10, 3);
  });
});

describe('phantom validation', () => {
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0);
  b.road('A', 'B');
  const f = b.build();
  const costing = new CarCosting(f.graph);

  it('rejects edges outside the graph and offsets outside [0, 1]', () => {
    for (const search of Object.values(SEARCHES)) {
      expect(() => search(f.graph, costing, { edge: 99, offset: 0 }, { edge: 0, offset: 1 })).toThrow(RangeError);
      expect(() => search(f.graph, costing, { edge: 0, offset: 1.5 }, { edge: 0, offset: 1 })).toThrow(RangeError);
      expect(() => search(f.graph, costing, [], { edge: 0, offset: 1 })).toThrow(RangeError);
    }
  });
});
