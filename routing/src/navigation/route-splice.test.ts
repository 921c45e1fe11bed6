import { fileURLToPath } from 'node:url';
import { applyRoutePatch, decodePolyline, type NavManeuver } from '@locus/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import { offsetOn } from '../graph/edge-offset.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { readRoadGraph } from '../osm/read-road-graph.js';
import { RouteService } from '../route/route-service.js';
import { EdgeSnapper } from '../snap/edge-snapper.js';
import { Rng } from '../synthetic/rng.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { bestRejoin, DetourSearch } from './detour-search.js';
import { RouteTrack } from './route-track.js';
import { DetourShare, spliceDetour, type RouteSplice } from './route-splice.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const FAR = Date.now() + 3_600_000;

describe('spliceDetour on the Monaco graph', () => {
  let graph: RoadGraph;
  let service: RouteService;
  let live: LiveSpeedTable;
  beforeAll(async () => {
    ({ graph } = await readRoadGraph(MONACO));
    live = new LiveSpeedTable(graph.edgeCount);
    service = new RouteService(graph, new EdgeSnapper(graph), live, 'test');
  }, 60_000);

  it('describes the detoured route as describing it whole does, and the patch rebuilds it from the old route', () => {
    const rng = new Rng(7);
    const search = new DetourSearch(graph);
    const point = () => {
      const e = rng.int(graph.edgeCount);
      const a = graph.edgeSource[e]!;
      const b = graph.edgeTarget[e]!;
      return { lat: (graph.nodeLat[a]! + graph.nodeLat[b]!) / 2, lng: (graph.nodeLng[a]! + graph.nodeLng[b]!) / 2 };
    };
    let spliced = 0;
    let declined = 0;
    for (let trial = 0; trial < 600 && spliced < 60; trial++) {
      let old;
      try {
        old = service.route({ points: [point(), point()] }).routes[0]!;
      } catch {
        continue;
      }
      const n = old.edges.length;
      if (n < 8) continue;
      const blocked = 2 + rng.int(n - 4);
      live.apply(Uint32Array.of(old.edges[blocked]!), Float32Array.of(0), Float64Array.of(FAR), Date.now());
      try {
        const costing = new CarCosting(graph, { live });
        // The track a session holds: the old route's vertices, its steps, times with the closure in force.
        const coords: [number, number][] = [];
        const flat = decodePolyline(old.polyline);
        for (let i = 0; i < flat.length; i += 2) coords.push([flat[i + 1]!, flat[i]!]);
        const track = RouteTrack.alongEdges(graph, old.edges, coords[0]!, coords[coords.length - 1]!);
        track.setManeuvers(old.maneuvers.map((m) => m.distance));
        track.updateTimes(graph, costing);
        const seg = rng.int(blocked - 1);
        const fraction = rng.next();
        const approach = blocked - 1;
        search.run(costing, old.edges[approach]!, Infinity, 200_000);
        const rejoin = bestRejoin(search, costing, old.edges, blocked, 1);
        if (rejoin < 0) continue;
        const detour: number[] = [];
        search.pathInto(old.edges[rejoin]!, detour);
        const s = spliceDetour(graph, track, old.maneuvers, { seg, fraction, approach, rejoin, detour }, costing);
        if (!s) {
          declined++;
          continue;
        }
        spliced++;
        // The same edges described whole, from the same start point.
        const fromOffset = offsetOn(graph, s.edges[0]!, s.start[1], s.start[0]);
        const toOffset = offsetOn(graph, s.edges.at(-1)!, s.end[1], s.end[0]);
        const whole = service.describePath(s.edges, fromOffset, toOffset);
        expect(s.edges).toEqual(whole.edges);
        expect(s.distance).toBeCloseTo(whole.distance, -1);
        expect(s.duration).toBeCloseTo(whole.duration, -1);
        expect(s.summary).toBe(whole.summary);
        expect(s.maneuvers.map((m) => [m.type, m.modifier, m.street, m.exit])).toEqual(whole.maneuvers.map((m) => [m.type, m.modifier, m.street, m.exit]));
        s.maneuvers.forEach((m, i) => {
          const w = whole.maneuvers[i]!;
          expect(Math.abs(m.distance - w.distance)).toBeLessThan(1);
          // Junctions exactly; the ends within the polyline's rounding (this test's track starts from decoded points).
          const inner = i > 0 && i < s.maneuvers.length - 1;
          expect(Math.abs(m.lat - w.lat) + Math.abs(m.lng - w.lng)).toBeLessThan(inner ? 1e-9 : 3e-5);
          if (i > 0) expect(m.instruction).toBe(w.instruction);
        });
        // A client holding the old route rebuilds the new one from the patch.
        const base = { t: 'nav_route' as const, session: 's', reason: 'start' as const, rev: 3, route: { distance: old.distance, duration: old.duration, polyline: old.polyline, maneuvers: old.maneuvers, summary: old.summary }, graphVersion: 'g', distance: 0, duration: 0, eta: 0 };
        const patched = applyRoutePatch(base, {
          t: 'nav_patch', session: 's', reason: 'closure', base: 3, rev: 4,
          start: [s.start[1], s.start[0]], keep: s.keep, detour: s.detourPolyline, resume: s.resume,
          maneuvers: s.wire, route: { distance: s.distance, duration: s.duration, summary: s.summary }, graphVersion: 'g', distance: 0, duration: 0, eta: 0,
        });
        expect(patched).not.toBeNull();
        const got = decodePolyline(patched!.route.polyline);
        const want = decodePolyline(whole.polyline);
        expect(got.length).toBe(want.length);
        for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1.1e-5);
        expect(patched!.route.maneuvers).toEqual(s.maneuvers);
        // Unchanged steps travel as indices: the patch is smaller than the route.
        expect(s.wire.some((w) => typeof w === 'number')).toBe(true);
      } finally {
        live.apply(Uint32Array.of(old.edges[blocked]!), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
      }
    }
    expect(spliced).toBeGreaterThanOrEqual(40);
    expect(declined).toBeLessThan(spliced / 4);
  }, 60_000);

  it('cars that take the same detour share its description, and a route once made never changes', () => {
    const old = service.route({ points: [{ lat: 43.7275, lng: 7.415 }, { lat: 43.748, lng: 7.435 }] }).routes[0]!;
    const n = old.edges.length;
    const blocked = Math.floor(n * 0.6);
    live.apply(Uint32Array.of(old.edges[blocked]!), Float32Array.of(0), Float64Array.of(FAR), Date.now());
    try {
      const costing = new CarCosting(graph, { live });
      const track = RouteTrack.alongEdges(graph, old.edges, old.geometry.coordinates[0] as [number, number], old.geometry.coordinates.at(-1) as [number, number]);
      track.setManeuvers(old.maneuvers.map((m) => m.distance));
      track.updateTimes(graph, costing);
      const search = new DetourSearch(graph);
      search.run(costing, old.edges[blocked - 1]!, Infinity, 200_000);
      const rejoin = bestRejoin(search, costing, old.edges, blocked, 1);
      expect(rejoin).toBeGreaterThan(blocked);
      const detour: number[] = [];
      search.pathInto(old.edges[rejoin]!, detour);
      const share = new DetourShare();
      // Cars at several places before the closure (not in a roundabout: a splice declines those).
      const cars = [0, 3, 10, 20, 40, blocked - 4]
        .map((seg, i) => ({ seg, fraction: i / 6 }))
        .filter((c) => spliceDetour(graph, track, old.maneuvers, { ...c, approach: blocked - 1, rejoin, detour }, costing) !== null);
      expect(cars.length).toBeGreaterThanOrEqual(4);
      const shared = cars.map((c) => spliceDetour(graph, track, old.maneuvers, { ...c, approach: blocked - 1, rejoin, detour, share }, costing)!);
      const given = () => JSON.stringify(shared.map((s) => [s.maneuvers, s.wire]));
      const before = given();
      cars.forEach((c, i) => {
        const alone = spliceDetour(graph, track, old.maneuvers, { ...c, approach: blocked - 1, rejoin, detour }, costing)!;
        const s = shared[i]!;
        expect(s.edges).toEqual(alone.edges);
        expect([s.distance, s.duration, s.summary, s.detourPolyline, s.keep, s.resume]).toEqual([alone.distance, alone.duration, alone.summary, alone.detourPolyline, alone.keep, alone.resume]);
        expect(s.maneuvers.length).toBe(alone.maneuvers.length);
        s.maneuvers.forEach((m, k) => {
          expect({ ...m, distance: 0, duration: 0 }).toEqual({ ...alone.maneuvers[k]!, distance: 0, duration: 0 });
          expect(Math.abs(m.distance - alone.maneuvers[k]!.distance)).toBeLessThanOrEqual(0.5);
        });
      });
      // The detour's steps are the same objects in every car's route (packed once for all their patches)…
      const detourSteps = (s: RouteSplice) => s.wire.filter((w): w is NavManeuver => typeof w !== 'number' && w.type !== 'depart');
      expect(detourSteps(shared[1]!).filter((m) => detourSteps(shared[0]!).includes(m)).length).toBeGreaterThan(0);
      // …and splicing more cars changed nothing an earlier one was given.
      for (const c of cars) spliceDetour(graph, track, old.maneuvers, { ...c, approach: blocked - 1, rejoin, detour, share }, costing);
      expect(given()).toBe(before);
    } finally {
      live.apply(Uint32Array.of(old.edges[blocked]!), Float32Array.of(Number.NaN), Float64Array.of(FAR), Date.now());
    }
  });

  it('declines what it cannot describe exactly', () => {
    const old = service.route({ points: [{ lat: 43.7275, lng: 7.415 }, { lat: 43.748, lng: 7.435 }] }).routes[0]!;
    const costing = new CarCosting(graph, { live });
    const track = RouteTrack.alongEdges(graph, old.edges, [old.geometry.coordinates[0]![0], old.geometry.coordinates[0]![1]], old.geometry.coordinates.at(-1)! as [number, number]);
    track.setManeuvers(old.maneuvers.map((m) => m.distance));
    track.updateTimes(graph, costing);
    const plan = { seg: 0, fraction: 0, approach: 3, rejoin: 6, detour: [old.edges[6]!] };
    // A detour that does not end on the rejoin edge, a rejoin before the approach, steps that do not fit.
    expect(spliceDetour(graph, track, old.maneuvers, { ...plan, detour: [old.edges[5]!] }, costing)).toBeNull();
    expect(spliceDetour(graph, track, old.maneuvers, { ...plan, approach: 6, rejoin: 3 }, costing)).toBeNull();
    expect(spliceDetour(graph, track, old.maneuvers.slice(1), plan, costing)).toBeNull();
  });
});
