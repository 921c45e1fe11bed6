import { LocusError } from '@locus/protocol';
import { describe, expect, it } from 'vitest';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { FixtureBuilder } from '../search/fixture.js';
import { EdgeSnapper } from '../snap/edge-snapper.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { RouteService, type RoutePoint } from './route-service.js';

const M_PER_DEG = 111_195;
/** The fixture's plane: x metres east, y metres north of (48, 2). */
const at = (x: number, y: number): RoutePoint => ({ lat: 48 + y / M_PER_DEG, lng: 2 + x / (M_PER_DEG * Math.cos((48 * Math.PI) / 180)) });

/**
 * A street a–b along y = 0, a toll motorway m1–m2 100 m north of it joined to it at both ends, a second
 * street c–d 200 m south joined at both ends, and a lone toll motorway z1–z2 4 km away from the rest.
 */
function world() {
  const toll = { roadClass: RoadClass.motorway, speedKmh: 108, flags: EdgeFlag.toll | EdgeFlag.highway };
  const f = new FixtureBuilder()
    .node('a', 0, 0)
    .node('b', 1000, 0)
    .node('m1', 0, 100)
    .node('m2', 1000, 100)
    .node('c', 0, -200)
    .node('d', 1000, -200)
    .node('z1', 5000, 0)
    .node('z2', 6000, 0);
  f.road('a', 'b', { way: 1 });
  f.road('m1', 'm2', { ...toll, way: 2 });
  f.road('a', 'm1', { way: 3 });
  f.road('b', 'm2', { way: 4 });
  f.road('c', 'd', { way: 5 });
  f.road('a', 'c', { way: 6 });
  f.road('b', 'd', { way: 7 });
  f.road('z1', 'z2', { ...toll, way: 8 });
  const fx = f.build();
  const live = new LiveSpeedTable(fx.graph.edgeCount);
  const service = new RouteService(fx.graph, new EdgeSnapper(fx.graph), live, 'test');
  return { fx, live, service };
}

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LocusError) return e.code;
    throw e;
  }
  return 'none';
};

describe('RouteService snapping under the request costing', () => {
  it('a point beside a toll motorway snaps to it, or with avoid=tolls to the nearest toll-free road', () => {
    const { fx, service } = world();
    const g = fx.graph;
    const from = at(500, 90); // 10 m from the motorway, 90 m from a–b
    const to = at(900, -200);
    const plain = service.route({ points: [from, to] });
    expect(plain.snapped[0]!.distance).toBeCloseTo(10, 0);
    const avoiding = service.route({ points: [from, to], avoid: { tolls: true } });
    expect(avoiding.snapped[0]!.distance).toBeCloseTo(90, 0);
    const route = avoiding.routes[0]!;
    expect(route.edges.every((e) => (g.edgeFlags[e]! & EdgeFlag.toll) === 0)).toBe(true);
    expect(route.edges[0]).toBeOneOf([fx.edge('a', 'b'), fx.edge('b', 'a')]);
    // A soft preference still lets the point start on the motorway.
    expect(service.route({ points: [from, to], avoid: { tolls: 0.5 } }).snapped[0]!.distance).toBeCloseTo(10, 0);
  });

  it('a point beside a closed street snaps to the nearest open road; one open direction is enough', () => {
    const { fx, live, service } = world();
    const from = at(500, -5);
    const to = at(900, -200);
    expect(service.route({ points: [from, to] }).snapped[0]!.distance).toBeCloseTo(5, 0);
    const now = Date.now();
    const closeAll = (edges: number[]) => live.apply(Uint32Array.from(edges), new Float32Array(edges.length), new Float64Array(edges.length).fill(now + 600_000), now);
    // One direction closed: the point is still on the street (the other direction drives it).
    closeAll([fx.edge('a', 'b')]);
    const oneWay = service.route({ points: [from, to] });
    expect(oneWay.snapped[0]!.distance).toBeCloseTo(5, 0);
    expect(oneWay.routes[0]!.edges).not.toContain(fx.edge('a', 'b'));
    // Both closed: the nearest open road is the motorway, 105 m north.
    closeAll([fx.edge('b', 'a')]);
    const closed = service.route({ points: [from, to] });
    expect(closed.snapped[0]!.distance).toBeCloseTo(105, 0);
    expect(closed.routes[0]!.edges).not.toContain(fx.edge('a', 'b'));
    expect(closed.routes[0]!.edges).not.toContain(fx.edge('b', 'a'));
    // …and with tolls avoided as well, the street c–d 195 m south.
    expect(service.route({ points: [from, to], avoid: { tolls: true } }).snapped[0]!.distance).toBeCloseTo(195, 0);
  });

  it('NO_ROUTE when the only roads within reach are unusable; OFF_MAP when there are none', () => {
    const { service } = world();
    const lone = at(5500, 10);
    expect(service.route({ points: [lone, at(6000, 0)] }).routes.length).toBe(1);
    expect(code(() => service.route({ points: [lone, at(900, -200)], avoid: { tolls: true } }))).toBe('NO_ROUTE');
    expect(code(() => service.route({ points: [at(20_000, 0), at(900, -200)] }))).toBe('OFF_MAP');
  });
});

describe('RouteService.unreachable', () => {
  it('is certain where no route exists (a separate road, a street cut off by closures) and says "search" otherwise', () => {
    const { fx, live, service } = world();
    const onStreet = at(500, 0);
    const far = at(5500, 0);
    expect(code(() => service.route({ points: [onStreet, far] }))).toBe('NO_ROUTE');
    expect(service.unreachable(onStreet, far)).toBe(true);
    expect(service.unreachable(onStreet, at(500, -200))).toBe(false);
    // Close every way onto c–d: the street south is cut off, both ways of it.
    const into = ['a', 'b'].flatMap((n) => [fx.edge(n, n === 'a' ? 'c' : 'd')]);
    live.apply(Uint32Array.from(into), new Float32Array(into.length), new Float64Array(into.length).fill(Date.now() + 60_000), Date.now());
    expect(code(() => service.route({ points: [onStreet, at(500, -200)] }))).toBe('NO_ROUTE');
    expect(service.unreachable(onStreet, at(500, -200))).toBe(true);
    // From the cut-off street out is still possible: not certain, so a search decides (and finds it).
    expect(service.unreachable(at(500, -200), onStreet)).toBe(false);
    expect(code(() => service.route({ points: [at(500, -200), onStreet] }))).toBe('none');
  });

  it('is certain beside a closed direction of the street (at either end): the search cannot use that one', () => {
    const { fx, live, service } = world();
    const onStreet = at(500, 0);
    const far = at(5500, 0);
    const close = (edges: number[]) => live.apply(Uint32Array.from(edges), new Float32Array(edges.length), new Float64Array(edges.length).fill(Date.now() + 60_000), Date.now());
    close([fx.edge('a', 'b'), fx.edge('z2', 'z1')]);
    expect(code(() => service.route({ points: [onStreet, far] }))).toBe('NO_ROUTE');
    expect(service.unreachable(onStreet, far)).toBe(true);
    expect(service.unreachable(far, onStreet)).toBe(true);
    expect(service.unreachable(onStreet, at(500, -200))).toBe(false);
    // The same from the route's own edges (what the closure repair asks): the closed way back is no way in.
    expect(service.edgeUnreachable(fx.edge('z1', 'z2'), fx.edge('b', 'a'))).toBe(true);
    expect(service.edgeUnreachable(fx.edge('b', 'a'), fx.edge('c', 'd'))).toBe(false);
  });
});
