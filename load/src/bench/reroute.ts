/**
 * npm run bench:reroute -- [--sessions 10000] [--sample 400] [--events 100] [--engine memory|redis]
 *   [--keep-closed] (the measured closures stay in force, so by the end --events roads are closed at
 *   once; by default each is lifted once it has settled, before the next is posted)
 *   [--gateways N] (N > 1: N gateway processes on the redis engine, clients spread over them, each
 *   closure posted to the first) [--profile DIR] (a V8 CPU profile of each gateway process)
 *   [--whole] (clients that do not apply patches: every new route comes whole)
 *   [--gateway-node-args '--flag …'] (extra node/V8 flags for the gateway processes)
 *   [--clients-nice N] (this process, which plays every phone, at nice N once the gateways run: an
 *   experiment; a starved client can only make the measured times longer)
 *   [--clients-helpers-nice 19] (this process's threads other than its main one — its garbage
 *   collector's helpers — at nice N, as a gateway runs its own (LOCUS_HELPER_NICE); 0: left alone)
 *   [--warmup 1] (closures first, on random used edges, lifted after 15 s and not counted: the
 *   gateway's closure path compiled and warm, as in a gateway that has been running; printed apart.
 *   With more than one, the measured closures start once all have lifted, on the same edges as with one)
 *
 * Starts a real gateway process (Monaco, the `memory` engine by default), opens N WebSocket clients on
 * loopback and starts a navigation session for each between two random road nodes. Then, for closures
 * of edges used by many / some / few of the sessions' routes, POSTs the closure and measures, per
 * affected client, the time from sending the POST to receiving its new route (`nav_route` reason
 * `closure`, or a `nav_patch`, applied to the route the client holds as the SDK does once the closure
 * is measured: one process plays every phone here, and each phone rebuilds only its own route; a car
 * already on the closed road keeps its route and gets a `nav_eta`, its answer). Two parts: many
 * closures on random edges that sessions drive (p50 / p99 over closures of the time until the LAST
 * affected client has its new route), and the edge most routes use. Each closure is posted once the
 * previous one has settled (its exact re-checks done: no work queued, no frame for 500 ms) and, unless
 * --keep-closed, been lifted (its edge given its free-flow speed back for a second, and that settled
 * too): one closure in force at a time. Beside them, the sessions the gateway examined (its metrics)
 * and those actually affected. Prints figures; asserts nothing.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setPriority } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEV_JWT_SECRET, HelperThreadPriority, mintToken } from '@locus/gateway';
import { deleteKeysWithPrefix } from '@locus/engine/testing/delete-keys';
import { startGatewayProcess } from '@locus/gateway/testing/gateway-process';
import { CpuShare } from './cpu-share.js';
import { applyRoutePatch, decodeServerFrame, encodeClientMessage, type ServerMessage } from '@locus/protocol';
import { readRoadGraph } from '@locus/routing';
import WebSocket from 'ws';
import { seededTrips } from './road-points.js';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    sample: { type: 'string', default: '400' },
    events: { type: 'string', default: '100' },
    'keep-closed': { type: 'boolean', default: false },
    engine: { type: 'string', default: 'memory' },
    profile: { type: 'string' },
    gateways: { type: 'string', default: '1' },
    whole: { type: 'boolean', default: false },
    warmup: { type: 'string', default: '1' },
    /** Extra node/V8 flags for the gateway processes (an experiment: '--max-semi-space-size=64'). */
    'gateway-node-args': { type: 'string' },
    'redis-url': { type: 'string', default: process.env.LOCUS_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'clients-nice': { type: 'string', default: '0' },
    'clients-helpers-nice': { type: 'string', default: '19' },
  },
});
const N = Number(args.sessions);
type NavRoute = Extract<ServerMessage, { t: 'nav_route' }>;
/** Closure reroutes received as patches (applied to the held route), and patches that did not fit it. */
let patches = 0;
let patchMisses = 0;
/** When any client last received a frame: the gateway's follow-up work (re-checks, `faster` routes) shows as frames. */
let lastFrameAt = 0;
const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));

interface Client {
  ws: WebSocket;
  user: string;
  from: { lat: number; lng: number };
  to: { lat: number; lng: number };
  /** performance.now() when a closure reroute arrived, per scenario. */
  closureAt: number;
  /** The last closure left this client without a route (NO_ROUTE error instead of a new route). */
  noRoute: boolean;
  /** The last closure was on the road the car is already on: it keeps its route and gets a new ETA. */
  kept: boolean;
  /** The route it holds (what a nav_patch changes), as the SDK keeps it, and a patch not yet applied. */
  route: NavRoute | null;
  patches: Extract<ServerMessage, { t: 'nav_patch' }>[];
  /** Frames received while closures are measured, with when each arrived (decoded by readInbox). */
  inbox: { data: Buffer | string; at: number }[];
  waiting: ((m: ServerMessage) => void) | null;
}

/** While closures are measured, frames are only stamped on arrival and kept (see Client.inbox). */
let deferDecode = false;
/** Frames kept so far: the measurement waits until no more arrive. */
let received = 0;
/** Bytes of those frames: what a closure's answers and follow-up cost on the wire. */
let receivedBytes = 0;

/**
 * This process's GC pauses (start, duration): one process plays 10,000 phones and holds their routes,
 * and its collections share the 2 cores with the gateway while a closure is measured.
 */
const benchGc: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) benchGc.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });

/** One server message to a client, received at `at`. */
function handle(c: Client, m: ServerMessage, at: number): void {
  if (m.t === 'nav_patch') {
    if (m.reason === 'closure' && c.closureAt === 0) c.closureAt = at;
    c.patches.push(m);
    return;
  }
  if (m.t === 'nav_route') {
    // Patches that came before it were applied on receipt (as the SDK does), then this replaces them.
    applyPatches([c]);
    c.route = m;
  }
  if (m.t === 'nav_route' && m.reason === 'closure' && c.closureAt === 0) c.closureAt = at;
  // No way round the closure to the destination (it cut off a dead-end pocket): that error is the answer.
  if (m.t === 'error' && m.code === 'NO_ROUTE' && c.closureAt === 0 && c.waiting === null) {
    c.closureAt = at;
    c.noRoute = true;
  }
  // Already on the closed road (it drives out of it): a new ETA is the answer.
  if (m.t === 'nav_eta' && m.reason === 'traffic' && c.closureAt === 0 && c.waiting === null) {
    c.closureAt = at;
    c.kept = true;
  }
  if (c.waiting) c.waiting(m);
}

/** Decode and handle the frames each client kept, in order; then apply its patches as the SDK does. */
function readInbox(clients: Client[]): void {
  for (const c of clients) {
    for (const f of c.inbox.splice(0)) handle(c, decodeServerFrame(f.data), f.at);
  }
  applyPatches(clients);
}

/** Apply the patches each client received, in order, to the route it holds (as the SDK does on receipt). */
function applyPatches(clients: Client[]): void {
  for (const c of clients) {
    for (const p of c.patches.splice(0)) {
      const whole = c.route ? applyRoutePatch(c.route, p) : null;
      if (!whole) patchMisses++;
      else {
        patches++;
        c.route = whole;
      }
    }
  }
}

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function metric(http: string, name: string): Promise<number> {
  const text = await fetch(`${http}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The sum over every series of a metric (all label sets), e.g. GC seconds of every kind. */
async function metricSum(http: string, name: string): Promise<number> {
  const text = await fetch(`${http}/metrics`).then((r) => r.text());
  let sum = 0;
  for (const l of text.split('\n')) if (l.startsWith(name + ' ') || l.startsWith(name + '{')) sum += Number(l.split(' ').pop());
  return sum;
}

async function main(): Promise<void> {
  const { graph } = await readRoadGraph(MONACO);
  const { rnd, roadPoint } = seededTrips(graph, 42);

  const env: Record<string, string> = {
    LOCUS_SEED_OSM: MONACO,
    LOCUS_LOG_LEVEL: 'info',
    LOCUS_NAV_PROGRESS_MS: '600000',
    LOCUS_RATE_PER_SEC: '100000',
    LOCUS_RATE_BURST: '100000',
    LOCUS_IDLE_TIMEOUT_SEC: '960',
  };
  const G = Math.max(1, Number(args.gateways));
  const engine = G > 1 ? 'redis' : args.engine;
  const prefix = `bench-reroute-${process.pid}:`;
  if (engine === 'redis') Object.assign(env, { LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: args['redis-url'], LOCUS_REDIS_PREFIX: prefix });
  const nodeArgs = ['--max-old-space-size=8192', ...(args['gateway-node-args'] ? args['gateway-node-args'].split(' ').filter(Boolean) : []), ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [])];
  const gws: Awaited<ReturnType<typeof startGatewayProcess>>[] = [];
  for (let i = 0; i < G; i++) gws.push(await startGatewayProcess(env, nodeArgs));
  if (Number(args['clients-nice']) > 0) setPriority(0, Number(args['clients-nice']));
  // The clients stand for phones on other machines, but here they share the gateway's two cores: in a
  // 308 ms closure answer this process's GC helpers ran 224 ms while the gateway waited 87 ms for a
  // core. At nice 19 they take idle cycles only; a GC that then waits for them pauses this process,
  // which can only make the measured times longer.
  new HelperThreadPriority(Number(args['clients-helpers-nice'])).start();
  const gw = gws[0]!;
  /** A counter summed over every gateway. */
  const total = async (name: string): Promise<number> => (await Promise.all(gws.map((g) => metric(g.http, name)))).reduce((a, b) => a + b, 0);
  console.log(`${G} gateway(s) up on :${gws.map((g) => g.port).join(', :')} (${engine}); starting ${N} navigation sessions`);

  const clients: Client[] = [];
  const t0 = performance.now();
  const connectOne = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const user = `nav-bench-${i}`;
      // patch=1: closure reroutes come as changes to the held route, applied here as the SDK does.
      const ws = new WebSocket(`${gws[i % G]!.url}?v=1${args.whole ? '' : '&patch=1'}`, ['locus.v1'], { headers: { authorization: `Bearer ${mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: 7200 })}` } });
      const c: Client = { ws, user, from: roadPoint(), to: roadPoint(), closureAt: 0, noRoute: false, kept: false, route: null, patches: [], inbox: [], waiting: null };
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        const at = performance.now();
        lastFrameAt = at;
        if (deferDecode) {
          // Stamped and kept; decoded once the closure is measured (readInbox). One process plays
          // 10,000 phones here: decoding (and rebuilding routes from patches) as frames arrive would
          // queue every later arrival behind the work of all the others, where each phone does its own.
          c.inbox.push({ data: isBinary ? data : data.toString(), at });
          received++;
          receivedBytes += data.length;
          return;
        }
        handle(c, decodeServerFrame(isBinary ? data : data.toString()), at);
      });
      let tries = 0;
      const start = () => {
        c.waiting = (m) => {
          if (m.t === 'nav_route' && m.reason === 'start') {
            c.waiting = null;
            clients.push(c);
            resolve();
          } else if (m.t === 'error') {
            if (++tries > 5) {
              c.waiting = null;
              resolve();
              return;
            }
            c.from = roadPoint();
            c.to = roadPoint();
            start();
          }
        };
        ws.send(encodeClientMessage({ t: 'nav_start', id: 1, from: c.from, to: c.to }, 'msgpack'));
      };
      ws.once('open', start);
      ws.once('error', () => resolve());
    });
  const parallel = 200;
  for (let i = 0; i < N; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, N - i) }, (_, k) => connectOne(i + k)));
  }
  const setupS = (performance.now() - t0) / 1000;
  const rss = (await Promise.all(gws.map((g) => metric(g.http, 'locus_process_resident_memory_bytes')))).map((b) => (b / 2 ** 20).toFixed(0));
  console.log(`${clients.length} sessions in ${setupS.toFixed(1)} s (${(clients.length / setupS).toFixed(0)} nav_start/s incl. connect); gateway RSS ${rss.join(' + ')} MiB; sessions ${await total('locus_nav_sessions')}`);

  // Which edges the sessions' routes use: the same requests over HTTP for a sample (the search is deterministic).
  const usage = new Map<number, number>();
  const sample = clients.slice(0, Math.min(Number(args.sample), clients.length));
  for (const c of sample) {
    const r = (await fetch(`${gw.http}/v1/route?from=${c.from.lat},${c.from.lng}&to=${c.to.lat},${c.to.lng}`).then((x) => x.json())) as { routes?: { edges: number[] }[] };
    // Not the first and last edges: a closure right where a trip starts or ends says little about rerouting.
    for (const e of new Set((r.routes?.[0]?.edges ?? []).slice(2, -2))) usage.set(e, (usage.get(e) ?? 0) + 1);
  }
  const ranked = [...usage].sort((a, b) => b[1] - a[1]);
  deferDecode = true;
  const cpu = new CpuShare([gw.child.pid ?? 0, process.pid]);
  const op = mintToken('bench-ops', { secret: DEV_JWT_SECRET, expiresInSec: 3600, roles: ['operator'] });

  /** Close one edge; wait until every affected session (the gateway's count) got its new route or an error. */
  const closure = async (edge: number, ttl = 3600) => {
    // Each closure on a settled gateway: the previous one's follow-up (the exact re-check of every
    // repaired route, pushed as \`faster\` where it wins; the records written) done first — no work
    // queued on any gateway (locus_nav_backlog; a re-check that finds nothing faster sends nothing,
    // so quiet sockets alone did not show it: ~1,000 re-checks are seconds of work) and no frame
    // received for 500 ms.
    for (const until = performance.now() + 60_000; performance.now() < until; ) {
      await new Promise((r) => setTimeout(r, 50));
      if (performance.now() - lastFrameAt >= 500 && (await total('locus_nav_backlog')) === 0) break;
    }
    readInbox(clients);
    for (const c of clients) {
      c.closureAt = 0;
      c.noRoute = false;
      c.kept = false;
    }
    const examined0 = await total('locus_nav_sessions_examined_total');
    const affected0 = await total('locus_nav_sessions_affected_total');
    const gc0 = await metricSum(gw.http, 'locus_nodejs_gc_duration_seconds_sum');
    const bytes0 = receivedBytes;
    cpu.mark();
    const sent = performance.now();
    const res = await fetch(`${gw.http}/v1/traffic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ updates: [{ edge, speed: 0, ttl }] }),
    });
    if (res.status !== 200) throw new Error(`traffic POST: ${res.status} ${await res.text()}`);
    let affected = 0;
    let examined = 0;
    const deadline = performance.now() + 30_000;
    // The gateway's counters are read only once no frame has arrived for 200 ms: a scrape is
    // gateway work (before the open-files gauge was made asynchronous, ~16 ms each with 10,000
    // sockets), and polling every few milliseconds would add it to what is measured.
    let seen = -1;
    let quietSince = performance.now();
    let sampledAt = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      const t = performance.now();
      if (t - sampledAt >= 30 && t - sent < 2_000) {
        cpu.sample();
        sampledAt = t;
      }
      if (received !== seen) {
        seen = received;
        quietSince = t;
        continue;
      }
      if (t - quietSince < 200 && t < deadline) continue;
      readInbox(clients);
      const answered = clients.filter((c) => c.closureAt > 0).length;
      affected = (await total('locus_nav_sessions_affected_total')) - affected0;
      examined = (await total('locus_nav_sessions_examined_total')) - examined0;
      if (answered >= affected || performance.now() > deadline) break;
      quietSince = performance.now();
    }
    const lat = clients.filter((c) => c.closureAt > 0).map((c) => c.closureAt - sent).sort((a, b) => a - b);
    const lastAt = sent + (lat[lat.length - 1] ?? 0);
    // The cores from the POST to the first sample after the last answer came (within ~30 ms of it).
    const share = cpu.until(lastAt);
    let benchGcMs = 0;
    for (const g of benchGc) if (g.start < lastAt && g.start + g.ms > sent) benchGcMs += g.ms;
    benchGc.length = 0;
    // The gateway's own figure: from the event reaching it to the last answer sent (the first
    // gateway's; with several, each answers its own sessions).
    const gatewayMs = await metric(gw.http, 'locus_nav_traffic_answer_ms');
    // Garbage collection in the (first) gateway while this closure was answered and settled.
    const gcMs = ((await metricSum(gw.http, 'locus_nodejs_gc_duration_seconds_sum')) - gc0) * 1000;
    return { affected, examined, lat, gatewayMs, gcMs, noRoute: clients.filter((c) => c.noRoute).length, kept: clients.filter((c) => c.kept).length, kb: (receivedBytes - bytes0) / 1024, benchGcMs, share };
  };

  /** Lift a closure: the edge's free-flow speed as a live value for a second, then no value at all. */
  const lift = async (edge: number) => {
    const res = await fetch(`${gw.http}/v1/traffic`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ updates: [{ edge, speed: graph.edgeSpeed[edge]!, ttl: 1 }] }),
    });
    if (res.status !== 200) throw new Error(`traffic POST (lift): ${res.status} ${await res.text()}`);
  };

  // 0. Warm-up: the first closure a fresh process handles also compiles the closure path. Warm-ups
  //    after the first draw their edges from a generator of their own, so that the measured closures
  //    fall on the same edges whatever --warmup is; and the run waits until they have all lifted.
  const extraWarmups = seededTrips(graph, 7).rnd;
  let warmupsLiftAt = 0;
  for (let k = 0; k < Number(args.warmup) && ranked.length > 2; k++) {
    const edge = ranked[1 + Math.floor((k === 0 ? rnd() : extraWarmups()) * (ranked.length - 1))]![0];
    const r = await closure(edge, 15);
    warmupsLiftAt = performance.now() + 15_000;
    console.log(`warm-up closure (not counted): ${r.affected} affected, last new route ${(r.lat[r.lat.length - 1] ?? 0).toFixed(0)} ms`);
  }
  if (Number(args.warmup) > 1) await new Promise((r) => setTimeout(r, Math.max(0, warmupsLiftAt + 1_000 - performance.now())));

  // 1. Many closures on roads the sessions drive (uniform over edges used by a sampled route): per event,
  //    the time from the POST to the LAST affected client's new route.
  const events = Number(args.events);
  const lastPerEvent: number[] = [];
  const perClient: number[] = [];
  const gatewayPerEvent: number[] = [];
  /** Per closure, in order: sessions affected and ms until the last one had its new route. */
  const perEvent: string[] = [];
  let sumAffected = 0;
  let sumExamined = 0;
  let sumNoRoute = 0;
  let sumKept = 0;
  const used = ranked.slice(1).map(([e]) => e);
  // Closures that touch no session (their edge left every route: closures or reroutes before) are
  // drawn again: --events closures are measured, each with a last client.
  let untouched = 0;
  const cpuOf: { last: number; affected: number; procs: [number, number][]; busy: number; ms: number }[] = [];
  for (let k = 0; k < events && used.length > 0; k++) {
    const edge = used.splice(Math.floor(rnd() * used.length), 1)[0]!;
    const r = await closure(edge);
    // The next closure() waits for what the lift sets off (ETA checks of the sessions crossing the edge).
    if (!args['keep-closed']) await lift(edge);
    if (r.affected === 0 && r.lat.length === 0) {
      untouched++;
      k--;
      continue;
    }
    sumAffected += r.affected;
    sumExamined += r.examined;
    sumNoRoute += r.noRoute;
    sumKept += r.kept;
    if (r.lat.length > 0) lastPerEvent.push(r.lat[r.lat.length - 1]!);
    if (r.affected > 0) gatewayPerEvent.push(r.gatewayMs);
    perClient.push(...r.lat);
    cpuOf.push({ last: r.lat[r.lat.length - 1] ?? 0, affected: r.affected, ...r.share });
    perEvent.push(`${r.affected}:${(r.lat[r.lat.length - 1] ?? 0).toFixed(0)}(${r.gatewayMs.toFixed(0)}, gc ${r.gcMs.toFixed(0)}, ${r.kb.toFixed(0)} KB, bench gc ${r.benchGcMs.toFixed(0)}${r.noRoute > 0 ? `, ${r.noRoute} no route` : ''}${r.kept > 0 ? `, ${r.kept} kept` : ''})`);
  }
  lastPerEvent.sort((a, b) => a - b);
  perClient.sort((a, b) => a - b);
  gatewayPerEvent.sort((a, b) => a - b);
  const measured = perEvent.length;
  console.log(`\n${measured} closures on random edges of the sessions' routes (${args['keep-closed'] ? 'each kept in force: all closed at once by the end' : 'each lifted once settled: one in force at a time'}; ${untouched} more touched no session and were drawn again): ${sumAffected} sessions affected (${(sumAffected / Math.max(1, measured)).toFixed(1)} per closure), ${sumExamined} examined; ${sumNoRoute} left with no route (NO_ROUTE, counted as answered), ${sumKept} already on the closed road (a new ETA, counted as answered)`);
  // With fewer than 100 closures the p99 is their maximum: a single run says little about the tail
  // (BENCHMARKS.md pools the closures of several runs).
  console.log(`  closure → last affected client's new route: p50 ${pct(lastPerEvent, 50).toFixed(1)} ms, p99 ${pct(lastPerEvent, 99).toFixed(1)} ms${lastPerEvent.length < 100 ? ` (of ${lastPerEvent.length} closures: their maximum)` : `, max ${(lastPerEvent[lastPerEvent.length - 1] ?? NaN).toFixed(1)} ms`}`);
  console.log(`  closure → each affected client's new route: p50 ${pct(perClient, 50).toFixed(1)} ms, p99 ${pct(perClient, 99).toFixed(1)} ms`);
  console.log(`  the gateway's part (the event reaching it → its last answer sent): p50 ${pct(gatewayPerEvent, 50).toFixed(1)} ms, p99 ${pct(gatewayPerEvent, 99).toFixed(1)} ms`);
  console.log(`  per closure (affected:last ms (gateway's part, ms of GC in the gateway, KB received by the clients until it settled, ms of GC in the bench's process until the last answer)): ${perEvent.join(' ')}`);
  // Who had the cores during the slowest closures (from the POST to within ~30 ms after the last answer).
  for (const c of cpuOf.sort((a, b) => b.last - a.last).slice(0, 3)) {
    const [g, b] = c.procs;
    console.log(`  CPU during the closure of ${c.affected} (last answer after ${c.last.toFixed(0)} ms; in the first ${c.ms.toFixed(0)} ms): gateway main thread ${g![0].toFixed(0)} ms, its other threads ${g![1].toFixed(0)} ms; this process ${b![0].toFixed(0)} + ${b![1].toFixed(0)} ms; the machine busy ${c.busy.toFixed(0)} ms in all`);
  }
  console.log(`  ${patches} new routes came as patches (applied to the held route), ${patchMisses} patches did not fit it`);

  // What the slow answers needed (the gateway logs each burst that took ≥ 100 ms).
  for (const g of gws) {
    for (const e of g.logs.filter((l) => l.msg === 'slow traffic answer')) {
      console.log(`  slow answer: ${e.ms} ms (the gateway's main thread ran ${e.runMs} ms, waited ${e.waitMs} ms for a core) for ${e.sessions} sessions: ${e.repaired} repaired, ${e.searched} searched whole, ${e.cutOff} cut off; ${e.searches} detour searches (${e.searchMs} ms) giving ${e.detours ?? '?'} detours (${e.detourEdges ?? '?'} edges); ms in repairs ${e.repairMs}, describing ${e.describeMs}, sending ${e.sendMs} + ${e.flushMs ?? '?'} (frames written together at slice ends), the unrepaired ${e.unrepairedMs}, ETAs ${e.etaMs}; GC pauses (scavenge / mark-compact / incremental and other) ${(e.gcMs as number[] | undefined)?.join(' / ') ?? '?'} ms`);
    }
    g.logs.length = 0;
  }

  // 2. The worst case: the edge most routes use.
  const [busiest, n] = ranked[0]!;
  const r = await closure(busiest);
  console.log(`\nbusiest edge (on ${((100 * n) / sample.length).toFixed(1)}% of sampled routes): ${r.affected} affected, ${r.examined} examined, ${r.noRoute} left with no route, ${r.kept} already on the closed road; the gateway's part ${r.gatewayMs.toFixed(0)} ms`);
  console.log(`  closure → each affected client's new route: p50 ${pct(r.lat, 50).toFixed(1)} ms, p99 ${pct(r.lat, 99).toFixed(1)} ms, last ${(r.lat[r.lat.length - 1] ?? NaN).toFixed(1)} ms (${((r.lat[r.lat.length - 1] ?? 0) / Math.max(1, r.affected)).toFixed(2)} ms per reroute)`);
  for (const c of clients) c.ws.terminate();
  await Promise.all(gws.map((g) => g.stop()));
  if (engine === 'redis') await deleteKeysWithPrefix(args['redis-url']!, prefix);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
