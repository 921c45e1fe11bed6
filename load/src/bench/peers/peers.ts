/**
 * npm run bench:peers  — Locus (redis engine) beside Socket.IO 4 + @socket.io/redis-adapter and a bare
 *                        uWS server, same scenario, same machine, one run.
 * npm run bench:e2e    — the same harness on Locus alone (memory and redis engines).
 *
 * Options: --stacks locus-redis,socketio-redis,uws (also locus-memory) --users 2000 --friends 10
 *          --seconds 5 (per step) --fixed-seconds S (per fixed-rate phase; default --seconds)
 *          --workers 2 --ramp-from 5000 --ramp-factor 1.5 --ramp-steps 10
 *          --rates 10000 (deliveries/s of the fixed-rate phases) --redis-url redis://127.0.0.1:6379
 *          --json FILE --profile DIR (V8 CPU profile of each server)
 *          --client lean|ws (the load generators' WebSocket client: the bench's own, or the `ws` library)
 *          --locus-workers N (Locus on the redis engine as one gateway of N worker processes; CPU and
 *          RSS are summed over them)
 *          --load-nice N (the load workers' nice value, default 10; 0 runs them at the servers' priority)
 *          --order ring|shuffled (the order users send in, worker.ts SendOrder; default ring)
 *          --refine K (after the ramp's first failing step, K geometric bisections between it and the
 *          last step that kept up: RateSearch; default 0, the plain ramp)
 *          --repeat N (all stacks N times, in alternating order; prints each repetition's ratios and
 *          their median, and each stack's latency at the fixed rates pooled over the repetitions;
 *          default 1)
 *
 * For each stack, in turn: start its server process; N users on a ring of friendships (each update
 * fans out to F friends); load-generator worker processes connect them all and walk each user along
 * a Berlin GPS trace. An open-loop ramp raises the offered delivery rate step by step until the
 * deliveries stop arriving within the step (≥ 95 %): the last step that kept up is the stack's
 * sustained rate. (A closed loop on acknowledgements would measure each stack's ack latency instead:
 * Locus acknowledges after the engine write, the peers before any Redis work.) Before the ramp, open
 * loop at each fixed rate, the same for every stack: latency sender stamp → friend's socket, p50 / p99
 * / p99.9.
 * Server RSS before connections, with all connections idle, and after the last sustained step gives
 * memory per connection. Each phase also prints the server process's CPU (from /proc, user + system)
 * and that per 100k deliveries/s: the servers' own cost, which the sustained figures (bounded by
 * the whole machine: load workers and Redis share its cores) do not show; the Redis server's CPU
 * when it runs on this machine; and how late the timers of an idle process fire (WakeDelayMeter in
 * wake-delay-probe.ts): how long anything that wakes waits for a core, which on a small machine
 * moves a low rate's p99 from one repetition to the next. Prints figures; asserts nothing.
 * The load workers run below the servers' CPU priority (nice 10, --load-nice): on one machine they
 * would otherwise take turns on the cores with the server they measure, which a server on its own
 * host does not do. Every stack gets the same setting.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, setPriority, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LatencyHistogram } from '../histogram.js';
import type { WakeDelays } from '../wake-delays.js';
import { killOnSignal } from '../on-signal.js';
import { RateSearch } from './rate-search.js';
import { cpuSeconds, localRedisPid, processTree, rssKb, startStack, type RunningStack, type StackName } from './stacks.js';
import type { SendOrder } from './send-order.js';
import type { ClientKind, Report } from './worker.js';

const { values: args } = parseArgs({
  options: {
    stacks: { type: 'string', default: 'locus-redis,socketio-redis,uws' },
    users: { type: 'string', default: '2000' },
    friends: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '5' },
    /** Length of each fixed-rate phase; the ramp's steps stay --seconds. */
    'fixed-seconds': { type: 'string' },
    workers: { type: 'string', default: '2' },
    /** Open-loop ramp: first offered rate (deliveries/s), growth per step, most steps. */
    'ramp-from': { type: 'string', default: '5000' },
    'ramp-factor': { type: 'string', default: '1.5' },
    'ramp-steps': { type: 'string', default: '10' },
    rates: { type: 'string', default: '10000' },
    'redis-url': { type: 'string', default: process.env.LOCUS_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    json: { type: 'string' },
    profile: { type: 'string' },
    /** The load generators' WebSocket client: the bench's own (lean-socket.ts) or the `ws` library. */
    client: { type: 'string', default: 'lean' },
    /** Locus (redis engine) as one gateway of this many worker processes (LOCUS_WORKERS). */
    'locus-workers': { type: 'string', default: '1' },
    /** The load workers' CPU priority (nice): below the servers', so the server under test is served first. */
    'load-nice': { type: 'string', default: '10' },
    /** The order users send in (worker.ts SendOrder): ring (friends one after another) or shuffled. */
    order: { type: 'string', default: 'ring' },
    /** Geometric bisections of the bracket the ramp ends in (RateSearch); 0 is the plain ramp. */
    refine: { type: 'string', default: '0' },
    /** Run the stacks this many times, in alternating order, and print the median of each ratio. */
    repeat: { type: 'string', default: '1' },
  },
});
const N = Number(args.users);
const F = Number(args.friends);
const SECONDS = Number(args.seconds);
const FIXED_SECONDS = Number(args['fixed-seconds'] ?? args.seconds);
if (!(FIXED_SECONDS > 0)) throw new Error(`--fixed-seconds must be a number > 0, not ${args['fixed-seconds']}`);
const WORKERS = Number(args.workers);
const RAMP_FROM = Number(args['ramp-from']);
const RAMP_FACTOR = Number(args['ramp-factor']);
const RAMP_STEPS = Number(args['ramp-steps']);
const REFINE = Number(args.refine);
const REPEAT = Number(args.repeat);
if (!Number.isInteger(REPEAT) || REPEAT < 1) throw new Error(`--repeat must be a whole number ≥ 1, not ${args.repeat}`);
// Refused here, before any stack starts, rather than at the first ramp (RateSearch checks the rest).
if (!Number.isInteger(REFINE) || REFINE < 0) throw new Error(`--refine must be a whole number ≥ 0, not ${args.refine}`);
/** A step is sustained when this share of the offered deliveries arrived within the step. */
const KEEPS_UP = 0.95;
if (args.client !== 'lean' && args.client !== 'ws') throw new Error(`--client must be lean or ws, not ${args.client}`);
const CLIENT: ClientKind = args.client;
const ORDER = args.order as SendOrder;
if (ORDER !== 'ring' && ORDER !== 'shuffled') throw new Error(`--order must be ring or shuffled, not ${args.order}`);
const LOAD_NICE = Number(args['load-nice']);
if (!Number.isInteger(LOAD_NICE) || LOAD_NICE < 0 || LOAD_NICE > 19) throw new Error(`--load-nice must be 0..19, not ${args['load-nice']}`);
const RATES = args.rates!.split(',').filter(Boolean).map(Number);
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Redis's own CPU is printed per phase where it runs here (a shared server's other clients count too). */
const REDIS_PID = await localRedisPid(args['redis-url']!);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, d = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—';

interface PhaseResult {
  label: string;
  /** Deliveries/s the load generators were asked for (0 in closed loop). */
  offeredPerSec: number;
  updatesPerSec: number;
  ackedPerSec: number;
  deliveriesPerSec: number;
  /** Deliveries received ÷ (updates sent × F): below 1 when a stack drops or falls behind. */
  deliveredShare: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  /** The server process's CPU over the phase, in % of one core (Redis and the load workers not included). */
  serverCpuPct: number;
  /** The Redis server's CPU over the phase (% of one core), when it runs on this machine; else NaN. */
  redisCpuPct: number;
  /** The load-generator processes' CPU together, in % of one core: on a small machine they compete with the server. */
  loadCpuPct: number;
  /** How late an idle process's timers fired during the phase (wake-delay-probe.ts). */
  wakeDelays: WakeDelays;
  /** The phase's latencies, for pooling over repetitions (left out of --json). */
  hist: LatencyHistogram;
}

/** An idle process's timers count as late from this lateness on. */
const LATE_WAKE_MS = 5;
/** The idle process (wake-delay-probe.ts): how long anything that wakes waits for a core. */
const wakeProbe = killOnSignal(
  fork(fileURLToPath(new URL('../wake-delay-probe.ts', import.meta.url)), [String(LATE_WAKE_MS)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
);
await new Promise<void>((resolve) => wakeProbe.once('message', () => resolve()));
// A phase waits on the probe's answer: without it the run would hang, so it ends instead.
const probeGone = (code: number | null): never => {
  console.error(`the wake-delay probe exited (${code}) during the run`);
  process.exit(1);
};
wakeProbe.once('exit', probeGone);
const wakeDelays = (): Promise<WakeDelays> =>
  new Promise((resolve) => {
    wakeProbe.once('message', (m: WakeDelays) => resolve(m));
    wakeProbe.send({ kind: 'stop' });
  });

function startWorkers(s: RunningStack): Promise<ChildProcess[]> {
  const per = Math.ceil(s.users.length / WORKERS);
  return Promise.all(
    Array.from({ length: WORKERS }, (_, w) => {
      const child = killOnSignal(fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      // Raising a nice value needs no privilege. Every stack's workers get the same.
      if (LOAD_NICE > 0) setPriority(child.pid!, LOAD_NICE);
      child.send({ kind: 'start', stack: s.kind, client: CLIENT, url: s.url, users: s.users.slice(w * per, (w + 1) * per), order: ORDER });
      return new Promise<ChildProcess>((resolve, reject) => {
        child.once('message', (m: { kind: string; error?: string }) => (m.kind === 'ready' ? resolve(child) : reject(new Error(m.error))));
      });
    }),
  );
}

async function phase(workers: ChildProcess[], serverPid: number, label: string, totalRate: number, seconds: number, window = 0): Promise<PhaseResult> {
  const offered = totalRate * F;
  for (const w of workers) w.send({ kind: 'phase', rate: totalRate / workers.length, window, reset: true });
  const t0 = performance.now();
  // The server's whole process tree: a Locus gateway with workers is a supervisor and its workers.
  const server = processTree(serverPid);
  const serverCpu = (): number => server.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpu0 = serverCpu();
  const redis0 = REDIS_PID === null ? Number.NaN : cpuSeconds(REDIS_PID);
  const loadCpu = (): number => workers.reduce((sum, w) => sum + cpuSeconds(w.pid!), 0);
  const load0 = loadCpu();
  wakeProbe.send({ kind: 'start' });
  await sleep(seconds * 1000);
  const wakeLate = await wakeDelays();
  const serverCpuPct = ((serverCpu() - cpu0) * 100_000) / (performance.now() - t0);
  const loadCpuPct = ((loadCpu() - load0) * 100_000) / (performance.now() - t0);
  const redisCpuPct = REDIS_PID === null ? Number.NaN : ((cpuSeconds(REDIS_PID) - redis0) * 100_000) / (performance.now() - t0);
  const reports = await Promise.all(
    workers.map(
      (w) =>
        new Promise<Report>((resolve) => {
          w.once('message', (m: Report) => resolve(m));
          w.send({ kind: 'report' });
        }),
    ),
  );
  const elapsed = (performance.now() - t0) / 1000;
  for (const w of workers) w.send({ kind: 'phase', rate: 0, reset: false });
  const hist = new LatencyHistogram();
  let sent = 0;
  let acked = 0;
  let received = 0;
  let errors = 0;
  for (const r of reports) {
    hist.merge(r.counts, r.total, r.max);
    sent += r.sent;
    acked += r.acked;
    received += r.received;
    errors += r.errors;
  }
  return {
    label,
    offeredPerSec: offered,
    updatesPerSec: sent / elapsed,
    ackedPerSec: acked / elapsed,
    deliveriesPerSec: received / elapsed,
    deliveredShare: sent ? received / (sent * F) : Number.NaN,
    errors,
    p50: hist.quantile(0.5),
    p99: hist.quantile(0.99),
    p999: hist.quantile(0.999),
    serverCpuPct,
    redisCpuPct,
    loadCpuPct,
    wakeDelays: wakeLate,
    hist,
  };
}

/**
 * Wait until no more deliveries arrive (queues from the phase before have drained): the count
 * unchanged over 1.5 s, at most 30 s.
 */
async function quiesce(workers: ChildProcess[]): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 60; i++) {
    const reports = await Promise.all(
      workers.map(
        (w) =>
          new Promise<Report>((resolve) => {
            w.once('message', (m: Report) => resolve(m));
            w.send({ kind: 'report' });
          }),
      ),
    );
    const received = reports.reduce((n, r) => n + r.received, 0);
    still = received === last ? still + 1 : 0;
    if (still >= 3) return;
    last = received;
    await sleep(500);
  }
}

interface StackResult {
  stack: StackName;
  /** Highest ramp step whose deliveries kept up; the step after it, which did not. */
  sustained: PhaseResult | undefined;
  ramp: PhaseResult[];
  rampEnd: string;
  rssStartMb: number;
  rssIdleMb: number;
  rssActiveMb: number;
  idleBytesPerConnection: number;
  activeBytesPerConnection: number;
  phases: PhaseResult[];
}

async function runStack(name: StackName): Promise<StackResult> {
  const s = await startStack(name, {
    users: N,
    friends: F,
    redisUrl: args['redis-url']!,
    locusWorkers: Number(args['locus-workers']),
    ...(args.profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] } : {}),
  });
  let workers: ChildProcess[] = [];
  try {
    await sleep(1000);
    const rssStart = treeRssKb(s.pid);
    workers = await startWorkers(s);
    await sleep(1500);
    const rssIdle = treeRssKb(s.pid);
    // Everyone reports a first position (Locus forwards only to friends whose position it knows):
    // a small window of acknowledged updates, round-robin, until every user has sent twice.
    await phase(workers, s.pid, 'warm-up', 0, 2, 32);
    await quiesce(workers);
    // Fixed rates first, on a system no overload step has left queues in. Before them, 3 s at the
    // first rate that are not measured: the delivery path compiled and the garbage of the set-up
    // (Locus makes its friendships over REST) collected, for every stack alike, so that the first
    // measured phase is not also the one that does those.
    const phases: PhaseResult[] = [];
    if (RATES.length > 0) {
      await phase(workers, s.pid, 'warm-up at the first rate', RATES[0]! / F, 3);
      await quiesce(workers);
    }
    for (const r of RATES) {
      await quiesce(workers);
      const p = await phase(workers, s.pid, `fixed ${fmt(r)}/s`, r / F, FIXED_SECONDS);
      phases.push(p);
      printPhase(name, p);
    }
    // Open-loop ramp: the offered rate grows until the deliveries stop keeping up (or the load
    // generators cannot send that fast, which then bounds the figure and is said so); with --refine,
    // the bracket it ends in is then narrowed (RateSearch).
    const ramp: PhaseResult[] = [];
    let sustained: PhaseResult | undefined;
    let rampEnd = `ramp ended at ${RAMP_STEPS} steps`;
    let rssActive = Number.NaN;
    const search = new RateSearch(RAMP_FROM, RAMP_FACTOR, RAMP_STEPS, REFINE);
    /** Why each failed probe failed: the final line names the reason at the bracket's top. */
    const failures = new Map<number, string>();
    for (let rate = search.next(); rate !== undefined; rate = search.next()) {
      await quiesce(workers);
      const p = await phase(workers, s.pid, `${search.failed === undefined ? 'ramp' : 'refine'} ${fmt(rate)}/s`, rate / F, SECONDS);
      ramp.push(p);
      printPhase(name, p);
      if (p.updatesPerSec < 0.95 * (rate / F)) {
        rampEnd = `load generators sent only ${fmt(p.updatesPerSec)} of ${fmt(rate / F)} updates/s`;
        failures.set(rate, rampEnd);
        search.record(false);
      } else if (p.deliveredShare < KEEPS_UP) {
        rampEnd = `at ${fmt(rate)}/s only ${fmt(p.deliveredShare * 100, 1)} % arrived within the step`;
        failures.set(rate, rampEnd);
        search.record(false);
      } else {
        search.record(true);
        if (sustained === undefined || p.offeredPerSec > sustained.offeredPerSec) {
          sustained = p;
          rssActive = treeRssKb(s.pid);
        }
      }
    }
    if (REFINE > 0 && search.failed !== undefined && sustained !== undefined) {
      rampEnd = `kept up at ${fmt(sustained.offeredPerSec)}/s, not at ${fmt(search.failed)}/s (${failures.get(search.failed)}; ${ramp.length} steps)`;
    }
    return {
      stack: name,
      sustained,
      ramp,
      rampEnd,
      rssStartMb: rssStart / 1024,
      rssIdleMb: rssIdle / 1024,
      rssActiveMb: rssActive / 1024,
      idleBytesPerConnection: ((rssIdle - rssStart) * 1024) / N,
      activeBytesPerConnection: ((rssActive - rssStart) * 1024) / N,
      phases,
    };
  } finally {
    for (const w of workers) w.send({ kind: 'exit' });
    await s.stop();
  }
}

function treeRssKb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + rssKb(p), 0);
}

/** Server CPU per delivery rate: what the stack costs, apart from where the machine's other processes leave it. */
function cpuPer100k(p: PhaseResult): number {
  return p.deliveriesPerSec > 0 ? (p.serverCpuPct * 100_000) / p.deliveriesPerSec : Number.NaN;
}

function printPhase(name: string, p: PhaseResult): void {
  console.log(
    `${name.padEnd(15)} ${p.label.padEnd(16)} ${fmt(p.updatesPerSec).padStart(7)} updates/s → ${fmt(p.deliveriesPerSec).padStart(8)} deliveries/s ` +
      `(${fmt(p.deliveredShare * 100, 1)} % arrived) p50 ${fmt(p.p50, 2)} ms, p99 ${fmt(p.p99, 2)} ms, p99.9 ${fmt(p.p999, 2)} ms; ` +
      `server CPU ${fmt(p.serverCpuPct)} % (${fmt(cpuPer100k(p))} % of a core per 100k deliveries/s)` +
      (Number.isNaN(p.redisCpuPct) ? '' : `, Redis CPU ${fmt(p.redisCpuPct)} %`) +
      `, load workers ${fmt(p.loadCpuPct)} %` +
      `; idle wake-ups late ≥ ${LATE_WAKE_MS} ms: ${p.wakeDelays.count} (${fmt(p.wakeDelays.totalMs)} ms, latest ${fmt(p.wakeDelays.maxMs, 1)})` +
      (p.errors ? `, ${p.errors} errors` : ''),
  );
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${fmt(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(
  `${N} users × ${F} friends (ring), Berlin GPS traces, ${SECONDS} s steps${FIXED_SECONDS !== SECONDS ? ` (fixed rates ${FIXED_SECONDS} s)` : ''}, ${WORKERS} load workers (${CLIENT} client, nice ${LOAD_NICE}), ${ORDER} send order, ` +
    `ramp from ${fmt(RAMP_FROM)} deliveries/s ×${RAMP_FACTOR}${REFINE > 0 ? `, then ${REFINE} bisections` : ''}${REPEAT > 1 ? `, ${REPEAT} repetitions in alternating order` : ''}` +
    `${Number(args['locus-workers']) > 1 ? `, Locus as ${args['locus-workers']} worker processes` : ''}; ${machine}; ${new Date().toISOString()}`,
);

/** One comparison of Locus with a peer, from one repetition. */
interface Comparison {
  peer: StackName;
  ratio: number;
  /** Per fixed rate: Locus's p99 and the peer's. */
  p99s: [number, number][];
}

function median(values: readonly number[]): number {
  const v = Float64Array.from(values).sort();
  const m = v.length >> 1;
  return v.length === 0 ? Number.NaN : v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

const top = (r: StackResult): number => r.sustained?.deliveriesPerSec ?? Number.NaN;

function compare(results: StackResult[]): Comparison[] {
  const by = (n: StackName) => results.find((r) => r.stack === n);
  const locus = by('locus-redis') ?? by('locus-memory');
  const out: Comparison[] = [];
  if (!locus) return out;
  for (const peer of [by('socketio-redis'), by('uws')]) {
    if (!peer) continue;
    const ratio = top(locus) / top(peer);
    const p99s = RATES.map((rate, i) => `${fmt(rate)}/s: ${fmt(locus.phases[i]!.p99, 2)} vs ${fmt(peer.phases[i]!.p99, 2)} ms`).join('; ');
    // Per delivery, at the same fixed rate: the servers' own cost, whatever the load workers and
    // Redis take of the same cores (which bounds the sustained figures on a small machine).
    const cpu = RATES.map((rate, i) => `${fmt(rate)}/s: ${fmt(cpuPer100k(locus.phases[i]!))} vs ${fmt(cpuPer100k(peer.phases[i]!))} %`).join('; ');
    console.log(
      `${locus.stack} ÷ ${peer.stack}: sustained deliveries/s ${fmt(top(locus))} ÷ ${fmt(top(peer))} = ${fmt(ratio, 2)}× (${fmt(ratio * 100, 0)} %); p99 at equal rates: ${p99s}; ` +
        `server CPU per 100k deliveries/s (% of a core): ${cpu}`,
    );
    out.push({ peer: peer.stack, ratio, p99s: RATES.map((_, i) => [locus.phases[i]!.p99, peer.phases[i]!.p99]) });
  }
  return out;
}

const stackNames = args.stacks!.split(',') as StackName[];
const repetitions: { results: StackResult[]; comparisons: Comparison[] }[] = [];
for (let rep = 0; rep < REPEAT; rep++) {
  // Alternating order: a host that speeds up or slows down over the run favours no stack throughout.
  const order = rep % 2 === 0 ? stackNames : [...stackNames].reverse();
  if (REPEAT > 1) console.log(`repetition ${rep + 1} of ${REPEAT}: ${order.join(', ')}`);
  const results: StackResult[] = [];
  for (const name of order) {
    const r = await runStack(name);
    results.push(r);
    console.log(
      `${name.padEnd(15)} sustained: ${r.sustained ? `${fmt(r.sustained.deliveriesPerSec)} deliveries/s (${fmt(r.sustained.updatesPerSec)} updates/s), p99 ${fmt(r.sustained.p99, 2)} ms` : 'none'}; ${r.rampEnd}`,
    );
    console.log(
      `${name.padEnd(15)} memory: RSS ${fmt(r.rssStartMb, 1)} → ${fmt(r.rssIdleMb, 1)} MiB idle → ${fmt(r.rssActiveMb, 1)} MiB active = ` +
        `${fmt(r.idleBytesPerConnection)} B/connection idle, ${fmt(r.activeBytesPerConnection)} B/connection active`,
    );
  }
  repetitions.push({ results, comparisons: compare(results) });
}

if (REPEAT > 1) {
  // The median of the per-repetition ratios: each ratio pairs figures taken minutes apart, and the
  // median keeps one slow or fast spell of the host from deciding the figure.
  for (const name of stackNames) {
    const tops = repetitions.map((r) => top(r.results.find((x) => x.stack === name)!));
    console.log(`${name.padEnd(15)} sustained over ${REPEAT} repetitions: ${tops.map((t) => fmt(t)).join(', ')}; median ${fmt(median(tops))} deliveries/s`);
  }
  const peers = repetitions[0]!.comparisons.map((c) => c.peer);
  for (const peer of peers) {
    const cs = repetitions.map((r) => r.comparisons.find((c) => c.peer === peer)!);
    const ratios = cs.map((c) => c.ratio);
    const lower = RATES.map((rate, i) => `${fmt(rate)}/s in ${cs.filter((c) => c.p99s[i]![0] <= c.p99s[i]![1]).length} of ${REPEAT}`).join(', ');
    console.log(
      `Locus ÷ ${peer} over ${REPEAT} repetitions: ${ratios.map((x) => `${fmt(x * 100, 0)} %`).join(', ')}; median ${fmt(median(ratios), 2)}× (${fmt(median(ratios) * 100, 0)} %); ` +
        `Locus's p99 equal or lower at ${lower}`,
    );
  }
  // One repetition's p99 at a low rate is moved by a few late wake-ups of the processes on the
  // delivery path (WakeDelayMeter), so the per-repetition comparison above is partly a draw. Pooling every
  // repetition's deliveries per stack weighs each stack over the same spread of host conditions
  // (the order alternates).
  RATES.forEach((rate, i) => {
    const pooled = new Map<StackName, LatencyHistogram>();
    for (const name of stackNames) {
      const h = new LatencyHistogram();
      const runs = repetitions.map((r) => r.results.find((x) => x.stack === name)!.phases[i]!);
      for (const p of runs) h.merge(p.hist.counts, p.hist.total, p.hist.max);
      pooled.set(name, h);
      const late = runs.reduce((n, p) => n + p.wakeDelays.count, 0);
      console.log(
        `${name.padEnd(15)} at ${fmt(rate)}/s over ${REPEAT} repetitions: pooled p50 ${fmt(h.quantile(0.5), 2)} ms, p99 ${fmt(h.quantile(0.99), 2)} ms, ` +
          `p99.9 ${fmt(h.quantile(0.999), 2)} ms (${fmt(h.total)} deliveries); p99 per repetition ${runs.map((p) => fmt(p.p99, 2)).join(', ')}, ` +
          `median ${fmt(median(runs.map((p) => p.p99)), 2)} ms; idle wake-ups late ≥ ${LATE_WAKE_MS} ms ${late}`,
      );
    }
    const locus = pooled.get('locus-redis') ?? pooled.get('locus-memory');
    for (const peer of ['socketio-redis', 'uws'] as const) {
      const h = pooled.get(peer);
      if (!locus || !h) continue;
      const [l, q] = [locus.quantile(0.99), h.quantile(0.99)];
      console.log(`Locus ÷ ${peer} at ${fmt(rate)}/s, pooled over ${REPEAT} repetitions: p99 ${fmt(l, 2)} vs ${fmt(q, 2)} ms (${l <= q ? 'equal or lower' : 'higher'})`);
    }
  });
}
wakeProbe.off('exit', probeGone);
wakeProbe.send({ kind: 'exit' });
if (args.json) writeFileSync(args.json, JSON.stringify({ machine, date: new Date().toISOString(), args, results: repetitions[0]!.results, repetitions }, (k, v: unknown) => (k === 'hist' ? undefined : v), 2));
process.exit(0);
