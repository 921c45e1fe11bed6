import { haversineMeters } from '@locus/geo';
import { bidirectionalAStar, CarCosting, dijkstra, EdgeSnapper, Landmarks, LiveSpeedTable, readRoadGraph, RouteService, Rng, type RoadGraph } from '@locus/routing';
import { graphBytes, mib } from './route-graph-bytes.js';
import { nodeQuery, type Query } from './route-queries.js';
import { gaps, mismatches, runQueries } from './route-run.js';
import { cells, searchSet } from './route-searches.js';
import { fmt, mean, ms, percentile, table } from './route-stats.js';
import { lazyLines, tileLines } from './route-tiles.js';
import { trafficBatchLines } from './route-traffic.js';

export interface OsmBenchOptions {
  radii: readonly number[];
  landmarks: number;
  seed: number;
  trafficRepeats: number;
}

/**
 * The OSM part of bench:route: import, tiles, traffic batches, 500 random node pairs under every
 * search, the whole /v1/route query (RouteService: snap, search, geometry, maneuvers) on the same
 * pairs, and the lazily loaded tiles. bench:route runs it in a process of its own, as a gateway
 * serving this extract would: measured in the process that has just held the 1M-node synthetic graph
 * and ngraph's multi-GB object graph, its tail measured that process's old-generation GC pauses and
 * call sites made polymorphic by the bench's other costings, not the search (BENCHMARKS.md, routing,
 * 2026-11-23: ~3 ms p99 alone; a pass in a process holding 3M small objects and a second costing
 * class had p99 6.8 ms with a 42 ms GC pause).
 */
export async function osmLines(path: string, o: OsmBenchOptions): Promise<string[]> {
  const out: string[] = [];
  let t0 = performance.now();
  const { graph: osm } = await readRoadGraph(path);
  const readMs = performance.now() - t0;
  const osmCar = new CarCosting(osm);
  const osmTiles = await tileLines(osm, path);
  const osmTraffic = trafficBatchLines(osm, new Rng(o.seed + 8), o.trafficRepeats);
  t0 = performance.now();
  const osmLandmarks = o.landmarks > 0 ? Landmarks.build(osm, { count: o.landmarks }) : null;
  const lmMs = performance.now() - t0;
  out.push(
    `${path}: ${fmt(osm.nodeCount)} nodes, ${fmt(osm.edgeCount)} edges, ${fmt(osm.bannedTurns.size)} banned turns; imported (PBF → graph) in ${fmt(readMs)} ms, ${mib(graphBytes(osm))}` +
      (osmLandmarks ? `; ${o.landmarks} landmarks in ${fmt(lmMs)} ms, ${mib(osmLandmarks.byteLength)}` : ''),
    ...osmTiles,
    ...osmTraffic,
  );
  const set = searchSet(o.radii, osmLandmarks);
  const rng = new Rng(o.seed + 1);
  const pairs: Query[] = [];
  for (let i = 0; pairs.length < 500 && i < 50_000; i++) {
    const a = rng.int(osm.nodeCount);
    const b = rng.int(osm.nodeCount);
    const q = nodeQuery(osm, a, b, haversineMeters(osm.nodeLat[a]!, osm.nodeLng[a]!, osm.nodeLat[b]!, osm.nodeLng[b]!));
    if (q && bidirectionalAStar(osm, osmCar, q.source, q.target) !== null) pairs.push(q);
  }
  const rows: string[][] = [];
  let servedP99 = Number.NaN;
  let ref: number[] = [];
  let exact: number[] = [];
  for (const [name, search] of set.all) {
    const run = runQueries(osm, osmCar, search, pairs);
    let note = '';
    if (search === dijkstra) ref = run.costs;
    else if (set.isHierarchical(search)) {
      const g = gaps(run.costs, exact);
      note = `gap mean ${fmt(g.mean * 100, 3)} % max ${fmt(g.max * 100, 2)} %`;
    } else {
      note = `cost ≠ Dijkstra: ${mismatches(run.costs, ref)}/${pairs.length}`;
      if (search === bidirectionalAStar) exact = run.costs;
    }
    rows.push([name, ...cells(run), note]);
    if (name === 'bidirectional A* + landmarks') servedP99 = percentile(run.samples.ms, 0.99);
  }
  out.push(`${pairs.length} random node pairs with a route (mean ${fmt(mean(pairs.map((q) => q.meters)) / 1000, 2)} km straight), turn costs on:`);
  out.push(table(['search', 'p50', 'p99', 'settled', 'notes'], rows));
  out.push(`target: p99 ≤ 5 ms per query with the search /v1/route uses on an eager graph (bidirectional A* + landmarks): ${ms(servedP99)}`);
  out.push(serviceLine(osm, osmLandmarks, pairs));
  out.push(...(await lazyLines(osm, pairs)));
  return out;
}

/**
 * The same pairs through RouteService.route — what GET /v1/route runs after parsing: snap both points
 * (with the live-speed table in place, empty), search, then geometry, polyline, ETA and maneuvers.
 */
function serviceLine(osm: RoadGraph, landmarks: Landmarks | null, pairs: readonly Query[]): string {
  const service = new RouteService(osm, new EdgeSnapper(osm), new LiveSpeedTable(osm.edgeCount), 'bench', landmarks);
  const point = (v: number): { lat: number; lng: number } => ({ lat: osm.nodeLat[v]!, lng: osm.nodeLng[v]! });
  const times: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const q of pairs) {
      const t0 = performance.now();
      try {
        service.route({ points: [point(q.from), point(q.to)] });
      } catch {
        // A node pair can snap onto roads with no route between them: timed all the same.
      }
      if (round === 1) times.push(performance.now() - t0);
    }
  }
  return `whole query (RouteService.route: snap, bidirectional A* + landmarks, geometry, polyline, maneuvers), same pairs, second pass: p50 ${ms(percentile(times, 0.5))}, p99 ${ms(percentile(times, 0.99))}`;
}
