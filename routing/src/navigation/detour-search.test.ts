import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CarCosting } from '../cost/car-costing.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { readRoadGraph } from '../osm/read-road-graph.js';
import { bidirectionalAStar } from '../search/bidirectional-a-star.js';
import { FixtureBuilder } from '../search/fixture.js';
import { pathCost } from '../search/path-cost.js';
import { edgeDistanceM, EdgeSnapper } from '../snap/edge-snapper.js';
import { Rng } from '../synthetic/rng.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { bestRejoin, DetourSearch } from './detour-search.js';
import { RouteTrack } from './route-track.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const FAR = Date.now() + 3_600_000;

/** The route blocked at `blocked`, repaired: its start up to the approach edge, the detour, the rest after the rejoin. */
function repaired(search: DetourSearch, edges: ArrayLike<number>, blocked: number, rejoin: number): number[] {
  const out = Array.from(edges).slice(0, blocked);
  search.pathInto(edges[rejoin]!, out);
  for (let j = rejoin + 1; j < edges.length; j++) out.push(edges[j]!);
  return out;
}

describe('DetourSearch and bestRejoin', () => {
  //   A ─ B ─ C ─ D ─ E      the main street, 100 m blocks
  //       │       │
  //       F ─ G ─ H          a parallel street 100 m south
  const f = new FixtureBuilder()
    .node('A', 0, 0)
    .node('B', 100, 0)
    .node('C', 200, 0)
    .node('D', 300, 0)
    .node('E', 400, 0)
    .node('F', 100, -100)
    .node('G', 200, -100)
    .node('H', 300, -100);
  for (const [a, b] of [['A', 'B'], ['B', 'C'], ['C', 'D'], ['D', 'E'], ['B', 'F'], ['F', 'G'], ['G', 'H'], ['H', 'D']] as const) f.road(a, b);
  const fx = f.build();
  const g = fx.graph;
  const route = ['A', 'B', 'C', 'D', 'E'].slice(1).map((n, i) => fx.edge(['A', 'B', 'C', 'D'][i]!, n));

  it('detours round a closed block and rejoins where the route continues', () => {
    const live = new LiveSpeedTable(g.edgeCount);
    live.apply(Uint32Array.of(fx.edge('B', 'C')), Float32Array.of(0), Float64Array.of(FAR), Date.now());
    const costing = new CarCosting(g, { live });
    const search = new DetourSearch(g);
    search.run(costing, route[0]!, Infinity, Infinity);
    const j = bestRejoin(search, costing, route, 1);
    // C → D cannot be reached without B → C: the detour comes back onto the route at D → E, over H → D.
    expect(j).toBe(3);
    expect(fx.names(repaired(search, route, 1, j))).toEqual(['A', 'B', 'F', 'G', 'H', 'D', 'E']);
  });

  it('finds nothing when every way back to the route is closed', () => {
    const live = new LiveSpeedTable(g.edgeCount);
    live.apply(Uint32Array.of(fx.edge('B', 'C'), fx.edge('B', 'F')), Float32Array.of(0, 0), Float64Array.of(FAR, FAR), Date.now());
    const costing = new CarCosting(g, { live });
    const search = new DetourSearch(g);
    search.run(costing, route[0]!, Infinity, Infinity);
    // Only the U-turn back to A is left, and A leads nowhere else.
    expect(bestRejoin(search, costing, route, 1)).toBe(-1);
  });

  it('stops at its bounds', () => {
    const costing = new CarCosting(g);
    const search = new DetourSearch(g);
    search.run(costing, route[0]!, Infinity, 2);
    expect([search.settled, search.complete]).toEqual([2, false]);
    search.run(costing, route[0]!, 5, Infinity);
    expect(search.reached(fx.edge('C', 'D'))).toBe(false);
    expect(search.complete).toBe(false);
    search.run(costing, route[0]!, Infinity, Infinity);
    expect(search.complete).toBe(true);
  });
});

/**
 * The exactness claim of bestRejoin on the real Monaco graph: route optimally, close one edge of the
 * route, and the repaired route costs exactly what a fresh exact search from the end of the approach
 * edge costs (or neither finds a way).
 */
describe('on the Monaco graph, 300 random closures', () => {
  let graph: RoadGraph;
  beforeAll(async () => {
    ({ graph } = await readRoadGraph(MONACO));
  }, 60_000);

  it('the repaired route is as cheap as an exact search from the detour start', () => {
    const rng = new Rng(7);
    const search = new DetourSearch(graph);
    let checked = 0;
    let noWay = 0;
    for (let tries = 0; checked < 300 && tries < 5000; tries++) {
      const from = { edge: rng.int(graph.edgeCount), offset: rng.next() };
      const to = { edge: rng.int(graph.edgeCount), offset: rng.next() };
      const free = new CarCosting(graph);
      const r = bidirectionalAStar(graph, free, from, to);
      if (!r || r.edges.length < 4) continue;
      const n = r.edges.length;
      const blocked = 1 + rng.int(n - 2);
      const live = new LiveSpeedTable(graph.edgeCount);
      live.apply(Uint32Array.of(r.edges[blocked]!), Float32Array.of(0), Float64Array.of(FAR), Date.now());
      const closed = new CarCosting(graph, { live });
      const approach = r.edges[blocked - 1]!;
      const exact = bidirectionalAStar(graph, closed, { edge: approach, offset: 1 }, to);
      search.run(closed, approach, Infinity, Infinity);
      const j = bestRejoin(search, closed, r.edges, blocked, r.to.offset);
      // The same answer from a navigating car's segment times (what ClosureRepair passes).
      const track = RouteTrack.alongEdges(graph, r.edges, [graph.nodeLng[graph.edgeSource[r.edges[0]!]!]!, graph.nodeLat[graph.edgeSource[r.edges[0]!]!]!], [graph.nodeLng[graph.edgeTarget[r.edges[n - 1]!]!]!, graph.nodeLat[graph.edgeTarget[r.edges[n - 1]!]!]!]);
      track.updateTimes(graph, closed);
      expect(bestRejoin(search, closed, r.edges, blocked, r.to.offset, track.segS)).toBe(j);
      if (exact === null) {
        expect(j).toBe(-1);
        noWay++;
      } else {
        expect(j).toBeGreaterThan(blocked);
        // Of rejoins that cost the same, the first: the detour does not run on along the old route.
        const detour: number[] = [];
        search.pathInto(r.edges[j]!, detour);
        if (detour.length >= 2) expect(detour[detour.length - 2]).not.toBe(r.edges[j - 1]);
        const edges = repaired(search, r.edges, blocked, j).slice(blocked - 1);
        const cost = pathCost(graph, closed, edges, 1, r.to.offset);
        expect(Math.abs(cost - exact.cost)).toBeLessThanOrEqual(1e-6 * Math.max(1, exact.cost));
      }
      checked++;
    }
    expect(checked).toBe(300);
    expect(noWay).toBeLessThan(150);
  });

  it('reachesMarked tells from its own states whether a search reached a marked edge; none of the rest reached: no rejoin', () => {
    const rng = new Rng(11);
    const search = new DetourSearch(graph);
    const costing = new CarCosting(graph);
    const marks = new Int32Array(graph.edgeCount);
    let mark = 0;
    let reachedSome = 0;
    let none = 0;
    for (let tries = 0; reachedSome + none < 300 && tries < 5000; tries++) {
      const r = bidirectionalAStar(graph, costing, { edge: rng.int(graph.edgeCount), offset: rng.next() }, { edge: rng.int(graph.edgeCount), offset: rng.next() });
      if (!r || r.edges.length < 4) continue;
      const n = r.edges.length;
      const blocked = 1 + rng.int(n - 2);
      // Small searches, as stepping back through a one-way stretch makes, and large ones; from the approach or elsewhere.
      const from = rng.next() < 0.5 ? r.edges[blocked - 1]! : rng.int(graph.edgeCount);
      search.run(costing, from, Infinity, rng.next() < 0.5 ? rng.int(40) : rng.int(5_000));
      mark++;
      for (let j = blocked + 1; j < n; j++) marks[r.edges[j]!] = mark;
      const brute = r.edges.slice(blocked + 1).some((e) => search.reached(e));
      expect(search.reachesMarked(marks, mark)).toBe(brute);
      if (brute) reachedSome++;
      else {
        none++;
        expect(bestRejoin(search, costing, r.edges, blocked, r.to.offset)).toBe(-1);
      }
      // Marks of an earlier route do not count.
      expect(search.reachesMarked(marks, mark + 1)).toBe(false);
    }
    expect(reachedSome).toBeGreaterThan(20);
    expect(none).toBeGreaterThan(20);
  });
  it('settlesWithin: a small search that settled nothing as near a point as some open edge reaches neither edge a snap there gives', () => {
    const rng = new Rng(13);
    const search = new DetourSearch(graph);
    const costing = new CarCosting(graph);
    const snapper = new EdgeSnapper(graph);
    let excluded = 0;
    let near = 0;
    for (let tries = 0; tries < 600; tries++) {
      const lat = 43.725 + rng.next() * 0.025;
      const lng = 7.41 + rng.next() * 0.03;
      const snap = snapper.snap(lat, lng, 500, costing);
      if (!snap) continue;
      // Any open edge within reach stands for the route's last edge: the snap is no farther than it.
      const other = snapper.snap(lat + (rng.next() - 0.5) * 0.004, lng + (rng.next() - 0.5) * 0.004, 500, costing)?.edge ?? 0;
      const reach = edgeDistanceM(graph, other, lat, lng);
      if (reach > 500 || !costing.usable(other)) continue;
      search.run(costing, rng.int(graph.edgeCount), Infinity, rng.next() < 0.7 ? rng.int(60) : rng.int(3_000));
      const brute = Array.from({ length: graph.edgeCount }, (_, e) => e).some((e) => search.reached(e) && edgeDistanceM(graph, e, lat, lng) <= reach);
      expect(search.settlesWithin(lat, lng, reach)).toBe(brute);
      if (brute) {
        near++;
        continue;
      }
      excluded++;
      const a = graph.edgeSource[snap.edge]!;
      const b = graph.edgeTarget[snap.edge]!;
      expect(search.reached(snap.edge)).toBe(false);
      for (let e = graph.firstOut[b]!; e < graph.firstOut[b + 1]!; e++) if (graph.edgeTarget[e] === a) expect(search.reached(e)).toBe(false);
    }
    expect(excluded).toBeGreaterThan(50);
    expect(near).toBeGreaterThan(5);
  });
});
