import { haversineMeters } from '@locus/geo';
import { describe, expect, it } from 'vitest';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { FixtureBuilder } from '../search/fixture.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { SOFT_AVOID_K } from './avoid.js';
import { CarCosting } from './car-costing.js';
import { routeEta } from './route-eta.js';
import { DEFAULT_TURN_PENALTIES } from './turn-penalties.js';

/** A crossroads X with arms W, E, N, S (100 m), and a sharp spur SP 5° off the west arm. */
function crossroads() {
  const b = new FixtureBuilder().node('X', 0, 0).node('W', -100, 0).node('E', 100, 0).node('N', 0, 100).node('S', 0, -100);
  b.node('SP', -100, 8); // 100 m west, 8 m north: ~175° back from heading east
  b.road('W', 'X');
  b.road('X', 'E');
  b.road('N', 'X');
  b.road('X', 'S');
  b.road('X', 'SP');
  return { f: b.build() };
}

describe('turn costs', () => {
  const { f } = crossroads();
  const wx = f.edge('W', 'X');
  const p = DEFAULT_TURN_PENALTIES;

  it('classify by angle: straight, right, left, u-turn (reverse edge or sharper than 170°)', () => {
    const c = new CarCosting(f.graph);
    expect(c.turnCost(wx, f.edge('X', 'E'))).toBe(p.straight);
    expect(c.turnCost(wx, f.edge('X', 'S'))).toBe(p.right); // heading east, turning south
    expect(c.turnCost(wx, f.edge('X', 'N'))).toBe(p.left);
    expect(c.turnCost(wx, f.edge('X', 'W'))).toBe(p.uTurn);
    expect(c.turnCost(wx, f.edge('X', 'SP'))).toBe(p.uTurn);
  });

  it('swap left and right in left-hand traffic, and take custom penalties', () => {
    const c = new CarCosting(f.graph, { leftHandTraffic: true, turnPenalties: { left: 11, right: 22, uTurn: 99 } });
    expect(c.turnCost(wx, f.edge('X', 'S'))).toBe(11); // the right turn now crosses traffic: "left" price
    expect(c.turnCost(wx, f.edge('X', 'N'))).toBe(22);
    expect(c.turnCost(wx, f.edge('X', 'W'))).toBe(99);
    expect(() => new CarCosting(f.graph, { turnPenalties: { left: -1 } })).toThrow(RangeError);
  });

  it('are Infinity exactly for banned turns (only_* banning the rest)', () => {
    const b = new FixtureBuilder().node('X', 0, 0).node('W', -100, 0).node('E', 100, 0).node('N', 0, 100);
    const [wx2] = b.road('W', 'X');
    const [xe] = b.road('X', 'E');
    const [xn, nx] = b.road('X', 'N');
    b.restrict(wx2, xn);
    b.restrict(nx, xe, true); // only_left_turn: coming south from N, only east
    const g = b.build();
    const c = new CarCosting(g.graph);
    expect(c.turnCost(g.edge('W', 'X'), g.edge('X', 'N'))).toBe(Infinity);
    expect(c.turnCost(g.edge('W', 'X'), g.edge('X', 'E'))).toBe(0);
    expect(c.turnCost(g.edge('N', 'X'), g.edge('X', 'E'))).toBe(p.left);
    expect(c.turnCost(g.edge('N', 'X'), g.edge('X', 'W'))).toBe(Infinity);
    expect(c.turnCost(g.edge('N', 'X'), g.edge('X', 'N'))).toBe(Infinity); // the u-turn too
  });
});

describe('edge costs', () => {
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 1000, 0).node('C', 1000, 0);
  b.oneWay('A', 'B', { speedKmh: 100, roadClass: RoadClass.motorway, flags: EdgeFlag.toll | EdgeFlag.highway });
  b.oneWay('B', 'A', { speedKmh: 50, roadClass: RoadClass.secondary });
  b.oneWay('A', 'C', { speedKmh: 15, roadClass: RoadClass.ferry });
  b.oneWay('B', 'C', { speedKmh: 30, roadClass: RoadClass.residential, flags: EdgeFlag.toll, length: 0 });
  const f = b.build();
  const [ab, ba, ac, bc] = [f.edge('A', 'B'), f.edge('B', 'A'), f.edge('A', 'C'), f.edge('B', 'C')];
  const len = f.graph.edgeLength[ab]!;

  it('are length / speed, multiplied by 1 + K·p per soft avoidance (factors multiply)', () => {
    expect(new CarCosting(f.graph).edgeCost(ab)).toBeCloseTo((len * 3.6) / 100, 4);
    const soft = new CarCosting(f.graph, { avoid: { tolls: 0.5, highways: 0.25 } });
    expect(soft.edgeCost(ab)).toBeCloseTo(((len * 3.6) / 100) * (1 + SOFT_AVOID_K * 0.5) * (1 + SOFT_AVOID_K * 0.25), 4);
    expect(soft.edgeCost(ba)).toBeCloseTo((len * 3.6) / 50, 4);
    expect(soft.travelSeconds(ab)).toBeCloseTo((len * 3.6) / 100, 4); // preferences are not time
  });

  it('hard avoidance makes matching edges unusable, a zero-length one included (not NaN)', () => {
    const hard = new CarCosting(f.graph, { avoid: { tolls: true, ferries: true } });
    expect(hard.edgeCost(ab)).toBe(Infinity);
    expect(hard.edgeCost(ac)).toBe(Infinity);
    expect(hard.edgeCost(bc)).toBe(Infinity);
    expect(hard.edgeCost(ba)).toBeCloseTo((len * 3.6) / 50, 4);
    expect(new CarCosting(f.graph).edgeCost(bc)).toBe(0);
  });

  it('reject preferences outside [0, 1)', () => {
    expect(() => new CarCosting(f.graph, { avoid: { tolls: 1 } })).toThrow(RangeError);
    expect(() => new CarCosting(f.graph, { avoid: { tolls: -0.1 } })).toThrow(RangeError);
    expect(() => new CarCosting(f.graph, { avoid: { tolls: Number.NaN } })).toThrow(RangeError);
  });

  it('use a live speed until it expires; 0 = closed; never faster than the edge\'s free flow', () => {
    let now = 1000;
    const live = { speed: new Float32Array(f.graph.edgeCount).fill(Number.NaN), expires: new Float64Array(f.graph.edgeCount) };
    const c = new CarCosting(f.graph, { live, now: () => now });
    live.speed[ba] = 25;
    live.expires[ba] = 2000;
    live.speed[ab] = 0;
    live.expires[ab] = 2000;
    live.speed[ac] = 500;
    live.expires[ac] = 2000;
    c.beginQuery();
    expect(c.edgeCost(ba)).toBeCloseTo((len * 3.6) / 25, 4);
    expect(c.edgeCost(ab)).toBe(Infinity);
    expect(c.edgeCost(ac)).toBeCloseTo((f.graph.edgeLength[ac]! * 3.6) / 15, 4); // 500 km/h on a 15 km/h ferry
    now = 2000; // expiry is exclusive
    expect(c.edgeCost(ba)).toBeCloseTo((len * 3.6) / 25, 4); // the clock is read per query…
    c.beginQuery();
    expect(c.edgeCost(ba)).toBeCloseTo((len * 3.6) / 50, 4); // …and now the value has expired
    expect(c.edgeCost(ab)).toBeCloseTo((len * 3.6) / 100, 4);
  });

  it('rejects an overlay without a slot per edge', () => {
    expect(() => new CarCosting(f.graph, { live: { speed: new Float32Array(1), expires: new Float64Array(1) } })).toThrow(RangeError);
  });
});

describe('the A* bound', () => {
  it('never exceeds seconds per straight-line metre of any edge, whatever the live speeds and lengths', () => {
    const { graph } = gridGraph({ width: 40, height: 40, seed: 3, ferries: 5 });
    const live = { speed: new Float32Array(graph.edgeCount).fill(200), expires: new Float64Array(graph.edgeCount).fill(Infinity) };
    for (const c of [new CarCosting(graph), new CarCosting(graph, { live })]) {
      c.beginQuery();
      for (let e = 0; e < graph.edgeCount; e++) {
        const a = graph.edgeSource[e]!;
        const z = graph.edgeTarget[e]!;
        const straight = haversineMeters(graph.nodeLat[a]!, graph.nodeLng[a]!, graph.nodeLat[z]!, graph.nodeLng[z]!);
        expect(c.edgeCost(e)).toBeGreaterThanOrEqual(c.minSecondsPerMeter * straight);
      }
    }
    // Lengths shorter than the straight line (a hand-written graph) tighten the bound accordingly.
    const b = new FixtureBuilder().node('A', 0, 0).node('B', 1000, 0);
    b.oneWay('A', 'B', { length: 500, speedKmh: 36 });
    const short = new CarCosting(b.build().graph);
    expect(short.minSecondsPerMeter * 1000).toBeLessThanOrEqual(50);
  });
});

describe('routeEta', () => {
  const b = new FixtureBuilder().node('A', 0, 0).node('B', 100, 0).node('C', 100, 100);
  b.road('A', 'B');
  b.road('B', 'C');
  const f = b.build();
  const route = [f.edge('A', 'B'), f.edge('B', 'C')];
  const sec = (e: number) => (f.graph.edgeLength[e]! * 3.6) / 36;

  it('sums segment travel times from and to the offsets, turn penalties excluded', () => {
    const c = new CarCosting(f.graph);
    expect(routeEta(f.graph, route, c)).toBeCloseTo(sec(route[0]!) + sec(route[1]!), 6);
    expect(routeEta(f.graph, route, c, { fromOffset: 0.5, toOffset: 0.25 })).toBeCloseTo(0.5 * sec(route[0]!) + 0.25 * sec(route[1]!), 6);
    expect(routeEta(f.graph, [route[0]!], c, { fromOffset: 0.2, toOffset: 0.7 })).toBeCloseTo(0.5 * sec(route[0]!), 6);
    expect(routeEta(f.graph, [], c)).toBe(0);
  });

  it('uses live speeds where set and not expired; a closure makes it Infinity', () => {
    const live = { speed: new Float32Array(f.graph.edgeCount).fill(Number.NaN), expires: new Float64Array(f.graph.edgeCount) };
    const c = new CarCosting(f.graph, { live, now: () => 0 });
    live.speed[route[1]!] = 18;
    live.expires[route[1]!] = 1;
    expect(routeEta(f.graph, route, c)).toBeCloseTo(sec(route[0]!) + 2 * sec(route[1]!), 6);
    live.speed[route[0]!] = 0;
    live.expires[route[0]!] = 1;
    expect(routeEta(f.graph, route, c)).toBe(Infinity);
    live.expires[route[0]!] = 0; // expired
    expect(routeEta(f.graph, route, c)).toBeCloseTo(sec(route[0]!) + 2 * sec(route[1]!), 6);
  });
});
