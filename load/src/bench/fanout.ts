/**
 * npm run bench:fanout -- [--engines memory,redis] [--users 2000] [--friends 10] [--seconds 10]
 *                         [--workers 2] [--idle 10000] [--redis-url redis://127.0.0.1:6379]
 *
 * Starts a real gateway process per engine, N users with F friends each (all within the radius, so
 * each update fans out to F friends), and load-generator worker processes on loopback. Two phases:
 *   1. saturation, closed loop (a window of acknowledged updates in flight per worker) → the most
 *      updates/s and deliveries/s the gateway sustains without queues growing;
 *   2. open loop at half of that rate → delivery latency p50 / p99 / p99.9 (sender stamp → friend
 *      receives);
 *   3. open loop at a fixed --latency-deliveries rate (default 50k/s, half the 100k/s target).
 * Then idle memory: RSS growth of a gateway per idle authenticated connection.
 * Prints figures; asserts nothing (targets are checked by reading BENCHMARKS.md, not by CI).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deleteKeysWithPrefix } from '@locus/engine/testing/delete-keys';
import { DEV_JWT_SECRET, mintToken } from '@locus/gateway';
import { startGatewayProcess, type GatewayProcess } from '@locus/gateway/testing/gateway-process';
import { LatencyHistogram } from './histogram.js';

const { values: args } = parseArgs({
  options: {
    engines: { type: 'string', default: 'memory,redis' },
    users: { type: 'string', default: '2000' },
    friends: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    idle: { type: 'string', default: '10000' },
    /** Acknowledged updates kept in flight per worker while finding the saturation rate. */
    window: { type: 'string', default: '256' },
    /** Deliveries/s of the fixed-rate latency phase: half of the 100k/s target. */
    'latency-deliveries': { type: 'string', default: '50000' },
    'redis-url': { type: 'string', default: process.env.LOCUS_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Write a V8 CPU profile of the gateway into this directory. */
    profile: { type: 'string' },
  },
});
const N = Number(args.users);
const F = Number(args.friends);
const SECONDS = Number(args.seconds);
const WORKERS = Number(args.workers);
const IDLE = Number(args.idle);
const WINDOW = Number(args.window);
const LATENCY_DELIVERIES = Number(args['latency-deliveries']);
const REDIS_URL = args['redis-url']!;
const WORKER = fileURLToPath(new URL('./fanout-worker.ts', import.meta.url));
const MONACO = { lat: 43.7384, lng: 7.4246 };

const gatewayEnv = {
  LOCUS_RATE_PER_SEC: '100000',
  LOCUS_RATE_BURST: '100000',
  LOCUS_FLOOD_LIMIT: '1000000',
  LOCUS_MAX_FRIENDS: String(Math.max(1000, F * 2)),
  // info: the process launcher waits for the 'listening' line; nothing is logged per message.
  LOCUS_LOG_LEVEL: 'info',
};

interface Report {
  kind: 'report';
  sent: number;
  received: number;
  counts: number[];
  total: number;
  max: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

async function rest(g: GatewayProcess, user: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(g.http + path, {
    method,
    headers: { authorization: `Bearer ${mintToken(user, { secret: DEV_JWT_SECRET })}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
}

/** Ring topology: user i is friends with the F/2 users on each side, so everyone has F friends. */
async function makeFriends(g: GatewayProcess, ids: string[]): Promise<void> {
  const pairs: [string, string][] = [];
  for (let i = 0; i < ids.length; i++) for (let k = 1; k <= F / 2; k++) pairs.push([ids[i]!, ids[(i + k) % ids.length]!]);
  await pool(pairs, 32, async ([a, b]) => {
    await rest(g, a, 'POST', '/v1/friends/requests', { user: b });
    await rest(g, b, 'POST', `/v1/friends/requests/${a}/accept`);
  });
}

function startWorkers(url: string, users: { id: string; token: string; lat: number; lng: number }[]): Promise<ChildProcess[]> {
  const per = Math.ceil(users.length / WORKERS);
  return Promise.all(
    Array.from({ length: WORKERS }, (_, w) => {
      const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.send({ kind: 'start', url, users: users.slice(w * per, (w + 1) * per) });
      return new Promise<ChildProcess>((resolve, reject) => {
        child.once('message', (m: { kind: string; error?: string }) => (m.kind === 'ready' ? resolve(child) : reject(new Error(m.error))));
      });
    }),
  );
}

async function phase(workers: ChildProcess[], totalRate: number, seconds: number, window = 0) {
  for (const w of workers) w.send({ kind: 'phase', rate: totalRate / workers.length, window, reset: true });
  const t0 = performance.now();
  await sleep(seconds * 1000);
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
  let received = 0;
  for (const r of reports) {
    hist.merge(r.counts, r.total, r.max);
    sent += r.sent;
    received += r.received;
  }
  return {
    updatesPerSec: sent / elapsed,
    deliveriesPerSec: received / elapsed,
    p50: hist.quantile(0.5),
    p99: hist.quantile(0.99),
    p999: hist.quantile(0.999),
  };
}

async function fanout(engine: 'memory' | 'redis') {
  const prefix = `locus-bench:${process.pid}:${Date.now()}:`;
  const g = await startGatewayProcess({
    ...gatewayEnv,
    LOCUS_ENGINE: engine,
    LOCUS_REDIS_URL: REDIS_URL,
    LOCUS_REDIS_PREFIX: prefix,
  }, args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []);
  try {
    const ids = Array.from({ length: N }, (_, i) => `bench-${i}`);
    await makeFriends(g, ids);
    const users = ids.map((id) => ({
      id,
      token: mintToken(id, { secret: DEV_JWT_SECRET, expiresInSec: 3600 }),
      lat: MONACO.lat + (Math.random() - 0.5) * 0.01,
      lng: MONACO.lng + (Math.random() - 0.5) * 0.01,
    }));
    const workers = await startWorkers(g.url, users);
    // Everyone reports a first position so distances are known, then settle.
    await phase(workers, Math.min(N * 2, 20_000), 1);
    await sleep(500);
    const saturated = await phase(workers, 0, SECONDS, WINDOW);
    await sleep(1000);
    const half = await phase(workers, saturated.updatesPerSec / 2, SECONDS);
    await sleep(1000);
    const fixed = await phase(workers, LATENCY_DELIVERIES / F, SECONDS);
    for (const w of workers) w.send({ kind: 'exit' });
    return { engine, saturated, half, fixed };
  } finally {
    await g.stop();
    if (engine === 'redis') await deleteKeysWithPrefix(REDIS_URL, prefix).catch(() => 0);
  }
}

async function idleMemory() {
  const g = await startGatewayProcess({ ...gatewayEnv });
  try {
    await sleep(1500);
    const before = rssKb(g.child.pid!);
    const users = Array.from({ length: IDLE }, (_, i) => {
      const id = `idle-${i}`;
      return { id, token: mintToken(id, { secret: DEV_JWT_SECRET, expiresInSec: 3600 }), lat: 0, lng: 0 };
    });
    const workers = await startWorkers(g.url, users);
    await sleep(3000);
    const after = rssKb(g.child.pid!);
    for (const w of workers) w.send({ kind: 'exit' });
    return { connections: IDLE, rssBeforeMb: before / 1024, rssAfterMb: after / 1024, bytesPerConnection: ((after - before) * 1024) / IDLE };
  } finally {
    await g.stop();
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(`bench:fanout — ${N} users × ${F} friends, ${SECONDS} s phases, ${WORKERS} load workers, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
for (const engine of args.engines!.split(',') as ('memory' | 'redis')[]) {
  const r = await fanout(engine);
  console.log(
    `${engine.padEnd(7)} saturation: ${fmt(r.saturated.updatesPerSec)} updates/s → ${fmt(r.saturated.deliveriesPerSec)} deliveries/s ` +
      `(p50 ${fmt(r.saturated.p50, 2)} ms, p99 ${fmt(r.saturated.p99, 2)} ms)`,
  );
  for (const [label, p] of [['half rate: ', r.half], ['fixed rate:', r.fixed]] as const) {
    console.log(
      `${engine.padEnd(7)} ${label} ${fmt(p.updatesPerSec)} updates/s → ${fmt(p.deliveriesPerSec)} deliveries/s ` +
        `p50 ${fmt(p.p50, 2)} ms, p99 ${fmt(p.p99, 2)} ms, p99.9 ${fmt(p.p999, 2)} ms`,
    );
  }
}
if (IDLE > 0) {
  const m = await idleMemory();
  console.log(
    `idle    ${fmt(m.connections)} authenticated connections: RSS ${fmt(m.rssBeforeMb, 1)} → ${fmt(m.rssAfterMb, 1)} MiB = ${fmt(m.bytesPerConnection)} bytes/connection`,
  );
}
process.exit(0);
