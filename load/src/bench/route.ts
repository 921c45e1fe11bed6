/**
 * npm run bench:route -- [--size 1000] [--long 100] [--short 300] [--dijkstra 20] [--ngraph-long 20]
 *   [--ngraph-short 100] [--radius 3000,1000] [--landmarks 8] [--seed 1] [--osm data/monaco.osm.pbf]
 *   [--no-ngraph] [--traffic-repeats 200] [--no-synthetic-tiles]
 *
 * Route search on a synthetic size × size grid road graph (1M intersections by default, 100 m apart,
 * local streets with gaps and one-ways, arterials every 10th line, motorways every 50th, tolls, turn
 * restrictions): build time, graph bytes, then for random long (≥ 20 km) and short (0.5–3 km)
 * node-to-node queries, p50 / p99 query time and settled states of Dijkstra, A*, bidirectional A*
 * (straight-line bound, and with landmarks: their build time and bytes are printed) and the
 * hierarchical mode (with its optimality gap), under car costing with turn costs. Exactness is
 * checked in the same run (every exact search against Dijkstra).
 *
 * ngraph.path's A* runs on the same graph (an ngraph.graph built from the same edges and costs, same
 * heuristic). ngraph is node-based and has no turn costs or restrictions, so the comparison rows use
 * a turn-free costing for our searches too, and their costs must equal ngraph's.
 *
 * Both graphs are also cut into routing tiles (count, bytes, write and read-back time), and a
 * 10k-edge traffic batch is applied repeatedly (p50 / p99 of the overlay write, of a receiving
 * gateway's decode + apply, and of the POST path's validate + resolve + apply).
 *
 * Then the same on an OSM extract (Monaco by default) imported with readRoadGraph (import time
 * printed), plus the whole /v1/route query, in a child process of its own (`--only osm` runs just
 * that part; route-osm.ts says why). Figures: BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { haversineMeters } from '@locus/geo';
import {
  bidirectionalAStar,
  CarCosting,
  dijkstra,
  edgeRecords,
  gridGraph,
  Landmarks,
  Rng,
  SearchSpace,
  type CostModel,
  type RoadGraph,
} from '@locus/routing';
import { mib, graphBytes } from './route-graph-bytes.js';
import { buildNgraph } from './route-ngraph.js';
import { randomQueries, type Query } from './route-queries.js';
import { gaps, mismatches, runQueries, type Run } from './route-run.js';
import { fmt, mean, ms, percentile, table } from './route-stats.js';
import { TurnFreeCosting } from './route-costing.js';
import { tileLines } from './route-tiles.js';
import { trafficBatchLines } from './route-traffic.js';
import { osmLines } from './route-osm.js';
import { searchSet, cells } from './route-searches.js';

// ngraph keeps an object per node and per link: a 1M-node graph needs a few GB of heap.
const HEAP_MB = 8192;
if (getHeapStatistics().heap_size_limit < (HEAP_MB / 2) * 1048576 && !process.env.LOCUS_BENCH_ROUTE_CHILD) {
  const r = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LOCUS_BENCH_ROUTE_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '1000' },
    long: { type: 'string', default: '100' },
    short: { type: 'string', default: '300' },
    dijkstra: { type: 'string', default: '20' },
    'ngraph-long': { type: 'string', default: '20' },
    'ngraph-short': { type: 'string', default: '100' },
    radius: { type: 'string', default: '3000,1000' },
    landmarks: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    osm: { type: 'string', default: 'data/monaco.osm.pbf' },
    'no-ngraph': { type: 'boolean', default: false },
    'traffic-repeats': { type: 'string', default: '200' },
    'no-synthetic-tiles': { type: 'boolean', default: false },
    /** synthetic | osm: one part only (the OSM part runs in a child process with `--only osm`). */
    only: { type: 'string', default: '' },
  },
});
const SIZE = Number(args.size);
/** Local-street radii of the hierarchical mode to measure (comma-separated metres). */
const RADII = args.radius!.split(',').map(Number);
const rng = new Rng(Number(args.seed));

if (args.only === 'osm') {
  const lines = await osmLines(args.osm!, { radii: RADII, landmarks: Number(args.landmarks), seed: Number(args.seed), trafficRepeats: Number(args['traffic-repeats']) });
  for (const line of lines) console.log(line);
  process.exit(0);
}
console.log(`bench:route — node ${process.version}, heap limit ${mib(getHeapStatistics().heap_size_limit)}`);

// --- the synthetic graph ---------------------------------------------------------------------------
let t0 = performance.now();
const grid = gridGraph({ width: SIZE, height: SIZE, seed: Number(args.seed) });
const buildMs = performance.now() - t0;
const graph = grid.graph;
t0 = performance.now();
const car = new CarCosting(graph);
const costingMs = performance.now() - t0;
const records = edgeRecords(graph);
console.log(
  `synthetic ${SIZE}×${SIZE} grid: ${fmt(graph.nodeCount)} nodes, ${fmt(graph.edgeCount)} edges, ${fmt(graph.bannedTurns.size)} banned turns; ` +
    `built in ${fmt(buildMs)} ms, ${mib(graphBytes(graph))} of typed arrays; ` +
    `costing tables (edge records) ${fmt(costingMs)} ms, ${mib(records.u32.byteLength + graph.edgeCount)}`,
);

const TRAFFIC_REPEATS = Number(args['traffic-repeats']);
for (const line of trafficBatchLines(graph, new Rng(Number(args.seed) + 7), TRAFFIC_REPEATS)) console.log(line);
if (!args['no-synthetic-tiles']) for (const line of await tileLines(graph, 'synthetic')) console.log(line);

const LANDMARKS = Number(args.landmarks);
let landmarks: Landmarks | null = null;
if (LANDMARKS > 0) {
  t0 = performance.now();
  landmarks = Landmarks.build(graph, { count: LANDMARKS });
  console.log(`${LANDMARKS} landmarks: built in ${fmt(performance.now() - t0)} ms, ${mib(landmarks.byteLength)}`);
}

const xOf = new Int32Array(graph.nodeCount);
const yOf = new Int32Array(graph.nodeCount);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    xOf[grid.node(x, y)] = x;
    yOf[grid.node(x, y)] = y;
  }
}
const distance = (a: number, b: number): number => haversineMeters(graph.nodeLat[a]!, graph.nodeLng[a]!, graph.nodeLat[b]!, graph.nodeLng[b]!);
/** A node within about maxM (grid steps of ~100 m) of v. */
const near = (v: number, maxM: number, r: Rng): number => {
  const reach = Math.min(SIZE, Math.ceil(maxM / 100));
  const x = Math.max(0, Math.min(SIZE - 1, xOf[v]! + r.int(2 * reach + 1) - reach));
  const y = Math.max(0, Math.min(SIZE - 1, yOf[v]! + r.int(2 * reach + 1) - reach));
  return grid.node(x, y);
};

/** Queries with a route (unreachable pairs, from a dead-end pocket, would only measure exhaustion). */
function reachable(g: RoadGraph, costing: CostModel, qs: Query[]): Query[] {
  return qs.filter((q) => bidirectionalAStar(g, costing, q.source, q.target) !== null);
}
const longQ = reachable(graph, car, randomQueries(graph, rng, Number(args.long), 20_000, Infinity, distance, (_v, _m, r) => r.int(graph.nodeCount)));
const shortQ = reachable(graph, car, randomQueries(graph, rng, Number(args.short), 500, 3000, distance, near));
console.log(`queries: ${longQ.length} long (mean ${fmt(mean(longQ.map((q) => q.meters)) / 1000, 1)} km straight), ${shortQ.length} short (mean ${fmt(mean(shortQ.map((q) => q.meters)) / 1000, 2)} km)`);

const synthetic = searchSet(RADII, landmarks);
const isHierarchical = synthetic.isHierarchical;
const searches = synthetic.all;

interface Row {
  name: string;
  turns: string;
  long: Run | null;
  short: Run | null;
  note: string;
}
const rows: Row[] = [];
const dijkstraLong = longQ.slice(0, Number(args.dijkstra));

// --- with turn costs --------------------------------------------------------------------------------
let exactLong: number[] = [];
let exactShort: number[] = [];
let refLong: number[] = [];
let refShort: number[] = [];
for (const [name, search] of searches) {
  const isDijkstra = search === dijkstra;
  const long = runQueries(graph, car, search, isDijkstra ? dijkstraLong : longQ);
  const short = runQueries(graph, car, search, shortQ);
  let note = '';
  if (isDijkstra) {
    refLong = long.costs;
    refShort = short.costs;
    note = `reference (long: first ${dijkstraLong.length} queries)`;
  } else if (!isHierarchical(search)) {
    const bad = mismatches(long.costs, refLong) + mismatches(short.costs, refShort);
    note = `cost ≠ Dijkstra: ${bad}/${refLong.length + refShort.length}`;
    if (search === bidirectionalAStar) {
      exactLong = long.costs;
      exactShort = short.costs;
    }
  } else {
    const gl = gaps(long.costs, exactLong);
    const gs = gaps(short.costs, exactShort);
    note = `gap long mean ${fmt(gl.mean * 100, 2)} % max ${fmt(gl.max * 100, 2)} %, short mean ${fmt(gs.mean * 100, 2)} % max ${fmt(gs.max * 100, 2)} %; exact ${gl.exact + gs.exact}/${longQ.length + shortQ.length}; below optimum ${gl.below + gs.below}`;
  }
  rows.push({ name, turns: 'yes', long, short, note });
  console.log(`  ${name} done`);
}

// --- turn-free, beside ngraph.path ---------------------------------------------------------------------
const free = new TurnFreeCosting(car);
const ngLong = longQ.slice(0, Number(args['ngraph-long']));
const ngShort = shortQ.slice(0, Number(args['ngraph-short']));
let ngraphLongP50 = Number.NaN;
let ngraphShortP50 = Number.NaN;
if (!args['no-ngraph']) {
  t0 = performance.now();
  const ng = buildNgraph(graph, free);
  console.log(`ngraph.graph built in ${fmt(performance.now() - t0)} ms (heap used ${mib(process.memoryUsage().heapUsed)})`);
  const ngRun = (qs: Query[]): Run => {
    for (const q of qs.slice(0, 2)) ng.route(q.from, q.to);
    const run: Run = { samples: { ms: [], settled: [] }, costs: [] };
    for (const q of qs) {
      const a = performance.now();
      const r = ng.route(q.from, q.to);
      run.samples.ms.push(performance.now() - a);
      run.costs.push(r?.cost ?? Infinity);
    }
    return run;
  };
  const long = ngRun(ngLong);
  const short = ngRun(ngShort);
  ngraphLongP50 = percentile(long.samples.ms, 0.5);
  ngraphShortP50 = percentile(short.samples.ms, 0.5);
  for (const [name, search] of searches.slice(1)) {
    const ourLong = runQueries(graph, free, search, ngLong);
    const ourShort = runQueries(graph, free, search, ngShort);
    const exact = !isHierarchical(search);
    const note = exact
      ? `cost ≠ ngraph: ${mismatches(ourLong.costs, long.costs) + mismatches(ourShort.costs, short.costs)}/${ngLong.length + ngShort.length}; `
      : `gap long mean ${fmt(gaps(ourLong.costs, long.costs).mean * 100, 2)} %; `;
    rows.push({ name, turns: 'no', long: ourLong, short: ourShort, note: `${note}ngraph p50 ÷ this p50: long ${fmt(ngraphLongP50 / percentile(ourLong.samples.ms, 0.5), 1)}×, short ${fmt(ngraphShortP50 / percentile(ourShort.samples.ms, 0.5), 1)}×` });
    console.log(`  ${name} (turn-free) done`);
  }
  rows.push({ name: 'ngraph.path aStar', turns: 'no', long, short, note: `node-based; ${ngLong.length} long, ${ngShort.length} short queries` });
}

console.log();
console.log(
  table(
    ['search', 'turn costs', 'long p50', 'long p99', 'long settled', 'short p50', 'short p99', 'short settled', 'notes'],
    rows.map((r) => [r.name, r.turns, ...cells(r.long), ...cells(r.short), r.note]),
  ),
);
console.log(`search scratch (labels, node potentials): ${mib(SearchSpace.of(graph).byteLength)}; settled = directed edges (states) settled, both directions`);
if (Number.isFinite(ngraphLongP50)) {
  // The same queries as ngraph's (the first ones of each set), so the medians compare like with like.
  const ratio = (r: Run | null, n: number, ngP50: number): string => (r ? `${fmt(ngP50 / percentile(r.samples.ms.slice(0, n), 0.5), 1)}×` : '—');
  console.log('ngraph.path p50 ÷ our p50 on the same queries (turn costs on for ours, i.e. more work than ngraph does):');
  for (const r of rows.filter((x) => x.turns === 'yes' && x.name !== 'Dijkstra')) {
    console.log(`  ${r.name}: long ${ratio(r.long, ngLong.length, ngraphLongP50)}, short ${ratio(r.short, ngShort.length, ngraphShortP50)}`);
  }
}

// --- an OSM extract, in a process of its own (see route-osm.ts) --------------------------------------------
if (!existsSync(args.osm!)) console.log(`(no ${args.osm}: OSM extract skipped)`);
else if (args.only !== 'synthetic') {
  console.log();
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1), '--only', 'osm'], { stdio: 'inherit', env: { ...process.env, LOCUS_BENCH_ROUTE_CHILD: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.exit(0);
