import { fileURLToPath } from 'node:url';
import { bidirectionalAStar, CarCosting, EdgeSnapper, LiveSpeedTable, offsetOn, pathCost, readRoadGraph, RouteService, RouteTrack, Rng, type RoadGraph } from '@locus/routing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClosureRepair } from './closure-repair.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const FAR = Date.now() + 3_600_000;

describe('ClosureRepair on the Monaco graph', () => {
  let graph: RoadGraph;
  let service: RouteService;
  let live: LiveSpeedTable;
  beforeAll(async () => {
    ({ graph } = await readRoadGraph(MONACO));
    live = new LiveSpeedTable(graph.edgeCount);
    service = new RouteService(graph, new EdgeSnapper(graph), live, 'test');
  }, 60_000);

  /** The edges of the route Fontvieille → Larvotto. */
  function routeEdges(): number[] {
    return service.route({ points: [{ lat: 43.7275, lng: 7.415 }, { lat: 43.748, lng: 7.435 }] }).routes[0]!.edges;
  }

  it('keeps the route up to the approach, detours, rejoins it and ends where it ended', () => {
    const edges = routeEdges();
    const blocked = Math.floor(edges.length * 0.6);
    live.apply(Uint32Array.of(edges[blocked]!), Float32Array.of(0), Float64Array.of(FAR), Date.now());
    try {
      const repair = new ClosureRepair(graph, live, Date.now);
      const a = drive0(edges);
      const seg = 5;
      const fixed = repair.repair(a, seg, 0.5, {})!;
      expect(fixed).not.toBeNull();
      expect(fixed.edges.slice(0, blocked - seg)).toEqual(edges.slice(seg, blocked));
      expect(fixed.edges).not.toContain(edges[blocked]);
      expect(fixed.edges.at(-1)).toBe(edges.at(-1));
      expect(fixed.fromOffset).toBeCloseTo(0.5, 1);
      expect(fixed.toOffset).toBeCloseTo(offsetOn(graph, edges.at(-1)!, a.lat[a.segments]!, a.lng[a.segments]!), 9);
      expect(pathCost(graph, new CarCosting(graph, { live }), fixed.edges, fixed.fromOffset, fixed.toOffset)).toBeLessThan(Infinity);
      // A second car reaching the closure over the same approach edge shares the detour search, and
      // (rejoining where the first did) the detour itself and what splices of it share.
      const second = repair.repair(drive0(edges), 20, 0, {})!;
      expect(second).not.toBeNull();
      expect([repair.searches, repair.reused]).toEqual([1, 1]);
      expect(second.plan.detour).toBe(fixed.plan.detour);
      expect(second.plan.share).toBe(fixed.plan.share);
      // The detour ends where it meets the route: it does not run on along it (equal costs: the earlier rejoin).
      const d = fixed.plan.detour;
      expect(d.length < 2 || d[d.length - 2] !== edges[fixed.plan.rejoin - 1]).toBe(true);
      // A car already on the closed edge, or past it, is not repaired (searched from scratch instead).
      expect(repair.repair(drive0(edges), blocked, 0.2, {})).toBeNull();
      expect(repair.repair(drive0(edges), blocked + 1, 0, {})).toBeNull();
      // Other avoid options: another costing, another search.
      expect(repair.repair(drive0(edges), 5, 0, { avoid: { tolls: true } })).not.toBeNull();
      expect(repair.searches).toBe(2);
    } finally {
      live.apply(Uint32Array.of(edges[blocked]!), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
    }
  });

  it('repairs the same with its searches made ahead (prepare), each made once, all sharing one frontier', () => {
    const edges = routeEdges();
    const blocked = Math.floor(edges.length * 0.6);
    live.apply(Uint32Array.of(edges[blocked]!), Float32Array.of(0), Float64Array.of(FAR), Date.now());
    try {
      const cold = new ClosureRepair(graph, live, Date.now);
      const warm = new ClosureRepair(graph, live, Date.now);
      warm.prepare(3);
      expect(warm.poolFill.made).toBe(3);
      // Different approaches (cars at different places, other options): several searches, in the prepared slots.
      const cars: [number, { avoid?: { tolls: boolean } }][] = [[5, {}], [20, {}], [5, { avoid: { tolls: true } }], [blocked - 2, {}]];
      for (const [seg, options] of cars) {
        const a = cold.repair(drive0(edges), seg, 0.25, options);
        const b = warm.repair(drive0(edges), seg, 0.25, options);
        expect(b?.edges).toEqual(a?.edges);
        expect(b?.toOffset).toBe(a?.toOffset);
      }
      expect(warm.searches).toBe(cold.searches);
      expect(warm.poolFill.made).toBe(Math.max(3, cold.poolFill.made));
      // Never beyond the pool's size.
      warm.prepare(1_000);
      expect(warm.poolFill.made).toBe(warm.poolFill.size);
    } finally {
      live.apply(Uint32Array.of(edges[blocked]!), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
    }
  });

  it("ends the detour on the nearest open road when the destination's own road closes, as a search from the approach would", () => {
    const edges = routeEdges();
    const n = edges.length;
    const last = edges[n - 1]!;
    live.apply(Uint32Array.of(last), Float32Array.of(0), Float64Array.of(FAR), Date.now());
    try {
      const repair = new ClosureRepair(graph, live, Date.now, (from, to) => service.edgeUnreachable(from, to), (lat, lng, c) => service.endPhantoms(lat, lng, c));
      // The destination halfway along the last edge (a one-way street here, reached by a one-way
      // stretch: the repair steps back to the last junction with a way round).
      const track = drive0(edges, 0.5);
      const fixed = repair.repair(track, 5, 0, {})!;
      expect(fixed).not.toBeNull();
      const closedCosting = new CarCosting(graph, { live });
      const ends = service.endPhantoms(track.lat[n]!, track.lng[n]!, closedCosting)!;
      expect(ends.length).toBeGreaterThan(0);
      // The route as before up to the approach, then to one of the points a search would end at.
      expect(fixed.edges.slice(0, fixed.plan.approach - 5 + 1)).toEqual(edges.slice(5, fixed.plan.approach + 1));
      expect(fixed.edges).not.toContain(last);
      const end = ends.find((p) => p.edge === fixed.edges.at(-1));
      expect(end).toBeDefined();
      expect(fixed.toOffset).toBe(end!.offset);
      // As cheap as an exact search from the end of the approach to those points.
      const tail = fixed.edges.slice(fixed.plan.approach - 5);
      const exact = bidirectionalAStar(graph, closedCosting, [{ edge: edges[fixed.plan.approach]!, offset: 1 }], ends)!;
      expect(pathCost(graph, closedCosting, tail, 1, fixed.toOffset)).toBeCloseTo(exact.cost, 6);
      // Not a splice of the old route: the caller describes it whole.
      expect(fixed.plan.detour[fixed.plan.detour.length - 1]).not.toBe(edges[fixed.plan.rejoin]);
      // A second car on the same approach shares the search and the detour.
      const searches = repair.searches;
      const second = repair.repair(drive0(edges, 0.5), 9, 0, {})!;
      expect(second.plan.detour).toBe(fixed.plan.detour);
      expect(repair.searches).toBe(searches);
      // Without a way to say where routes end now, no repair (the car searches whole).
      expect(new ClosureRepair(graph, live, Date.now).repair(drive0(edges, 0.5), 5, 0, {})).toBeNull();
    } finally {
      live.apply(Uint32Array.of(last), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
    }
  });

  it('near the end of 400 random routes: no repair only when no route exists; a new end is as cheap as a search from the approach', () => {
    const rng = new Rng(3);
    const point = () => ({ lat: 43.725 + rng.next() * 0.025, lng: 7.41 + rng.next() * 0.03 });
    let newEnds = 0;
    let none = 0;
    for (let tries = 0; tries < 400; tries++) {
      const from = point();
      const to = point();
      let r;
      try {
        r = service.route({ points: [from, to] }).routes[0]!;
      } catch {
        continue;
      }
      const n = r.edges.length;
      if (n < 10) continue;
      // One of the last few edges closes: the rest of the route is short, often reached only through it.
      const closed = r.edges[n - 2 - rng.int(3)]!;
      live.apply(Uint32Array.of(closed), Float32Array.of(0), Float64Array.of(FAR), Date.now());
      try {
        const costing = new CarCosting(graph, { live });
        const track = new RouteTrack(r.geometry.coordinates, r.edges);
        track.updateTimes(graph, costing);
        const repair = new ClosureRepair(graph, live, Date.now, (a, b) => service.edgeUnreachable(a, b), (lat, lng, c) => service.endPhantoms(lat, lng, c));
        const fixed = repair.repair(track, 0, 0, {}, to);
        if (!fixed) {
          none++;
          expect(() => service.route({ points: [from, to] })).toThrow(/no route/i);
          continue;
        }
        const last = fixed.edges.at(-1)!;
        if (last === r.edges[n - 1]) continue;
        // A new end: where a search from the approach to the destination, snapped again, ends.
        newEnds++;
        const ends = service.endPhantoms(to.lat, to.lng, costing)!;
        const exact = bidirectionalAStar(graph, costing, [{ edge: r.edges[fixed.plan.approach]!, offset: 1 }], ends)!;
        const tail = fixed.edges.slice(fixed.plan.approach);
        expect(pathCost(graph, costing, tail, 1, fixed.toOffset)).toBeCloseTo(exact.cost, 6);
      } finally {
        live.apply(Uint32Array.of(closed), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
      }
    }
    expect(newEnds).toBeGreaterThan(0);
    expect(none).toBeGreaterThan(0);
  }, 60_000);

  /** The same route's track with times under the closure now in force. */
  function drive0(edges: number[], toOffset = 1): RouteTrack {
    const r = service.describePath(edges, 0, toOffset);
    const t = new RouteTrack(r.geometry.coordinates, r.edges);
    t.updateTimes(graph, new CarCosting(graph, { live }));
    return t;
  }
});
