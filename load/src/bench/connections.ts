/**
 * npm run bench:connections -- [--target 100000] [--step 10000] [--per-worker 15000] [--addresses N]
 *                              [--timeout-ms 15000] [--max-seconds 300] [--gateway-workers N]
 *
 * How many concurrent idle authenticated connections one gateway holds, and its RSS per connection
 * on the way: a gateway (memory engine, no OSM seed; with `--gateway-workers N` > 1, N worker
 * processes on one port on the redis engine under a unique key prefix, see gateway/src/workers.ts,
 * RSS summed over them) on loopback; client processes open
 * connections `--step` at a time, spread over several source addresses 127.0.0.2… (each source
 * address has only ~28k ephemeral ports towards one server port), until the target, the first step
 * with a failed connection, or the time bound. Then checks that all are still open and the gateway
 * still answers. The open-files limit (RLIMIT_NOFILE) of the gateway bounds the count: it is raised
 * with prlimit where the machine allows and reported either way. Loopback only; prints figures.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deleteKeysWithPrefix, uniquePrefix } from '@locus/engine/testing';
import { DEV_JWT_SECRET, mintToken } from '@locus/gateway';
import { startGatewayProcess } from '@locus/gateway/testing/gateway-process';
import { killOnSignal } from './on-signal.js';
import { BENCH_GATEWAY_ENV, processTree, rssKb } from './peers/stacks.js';

const { values: args } = parseArgs({
  options: {
    target: { type: 'string', default: '100000' },
    step: { type: 'string', default: '10000' },
    'per-worker': { type: 'string', default: '15000' },
    addresses: { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '15000' },
    'max-seconds': { type: 'string', default: '300' },
    'gateway-workers': { type: 'string', default: '1' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const TARGET = Number(args.target);
const STEP = Number(args.step);
const PER_WORKER = Number(args['per-worker']);
// A socket bound to a source address before connecting takes its port from the bind half of the
// ephemeral range (~14k of 28k ports): EADDRINUSE came at ~15k per address. 10k each leaves room.
const ADDRESSES = Number(args.addresses ?? Math.max(1, Math.ceil(TARGET / 10_000)));
const GATEWAY_WORKERS = Number(args['gateway-workers']);
const WORKER = fileURLToPath(new URL('./connections-worker.ts', import.meta.url));
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function nofile(pid: number | 'self'): { soft: string; hard: string } {
  const m = /Max open files\s+(\S+)\s+(\S+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return { soft: m?.[1] ?? '?', hard: m?.[2] ?? '?' };
}

/** Raise a process's open-files limit; on a machine that forbids it (no CAP_SYS_RESOURCE) say why. */
function raiseNofile(pid: number, want: number): string {
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${want}:${want}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    return `raised to ${want}`;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return `could not raise to ${want} (${stderr || String(err)})`;
  }
}

function ask<T>(w: ChildProcess, msg: object, kind: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { kind: string }): void => {
      if (m.kind !== kind) return;
      w.off('message', on);
      resolve(m as T);
    };
    w.on('message', on);
    w.send(msg);
  });
}

interface Opened {
  open: number;
  opened: number;
  failures: number;
  firstError?: string;
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${fmt(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`bench:connections — target ${fmt(TARGET)} idle connections, steps of ${fmt(STEP)}, ${ADDRESSES} source addresses; ${machine}; ${new Date().toISOString()}`);
const self = nofile('self');
console.log(`open-files limit of this shell: soft ${self.soft}, hard ${self.hard}`);

const prefix = uniquePrefix('locus-bench-conn');
const g = await startGatewayProcess(
  GATEWAY_WORKERS > 1
    ? { ...BENCH_GATEWAY_ENV, LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: args['redis-url'], LOCUS_REDIS_PREFIX: prefix, LOCUS_WORKERS: String(GATEWAY_WORKERS) }
    : { ...BENCH_GATEWAY_ENV, LOCUS_ENGINE: 'memory' },
  [],
  60_000,
);
killOnSignal(g.child);
/** The gateway's processes: the one, or the supervisor and its workers. */
const gpids = processTree(g.child.pid!);
for (const pid of gpids.slice(GATEWAY_WORKERS > 1 ? 1 : 0)) {
  console.log(`gateway ${GATEWAY_WORKERS > 1 ? 'worker ' : ''}pid ${pid}: ${raiseNofile(pid, TARGET + 1000)}; its limit now ${nofile(pid).soft}`);
}
const gatewayRssKb = (): number => gpids.reduce((sum, pid) => sum + rssKb(pid), 0);
/** Open descriptors of each gateway worker (sockets, mostly): how the kernel spread the connections. */
const spread = (): string =>
  GATEWAY_WORKERS > 1 ? `  per worker ${gpids.slice(1).map((pid) => fmt(readdirSync(`/proc/${pid}/fd`).length)).join(' / ')} fds` : '';
const workers: ChildProcess[] = [];
const counts: number[] = [];
const deadline = Date.now() + Number(args['max-seconds']) * 1000;
let total = 0;
let stopReason = 'target reached';
try {
  await sleep(1000);
  const rssStart = gatewayRssKb();
  console.log(`gateway RSS at start: ${fmt(rssStart / 1024, 1)} MiB`);
  const localAddresses = Array.from({ length: ADDRESSES }, (_, i) => `127.0.0.${i + 2}`);
  const t0 = performance.now();
  while (total < TARGET) {
    if (Date.now() > deadline) {
      stopReason = `time bound (${args['max-seconds']} s)`;
      break;
    }
    const want = Math.min(STEP, TARGET - total);
    // Fill workers in order, each up to PER_WORKER (its own open-files limit applies too).
    const jobs: Promise<Opened>[] = [];
    let left = want;
    let user = total;
    for (let w = 0; left > 0; w++) {
      if (!workers[w]) {
        const child = killOnSignal(fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
        raiseNofile(child.pid!, PER_WORKER + 1000);
        workers[w] = child;
        counts[w] = 0;
      }
      const n = Math.min(left, PER_WORKER - counts[w]!);
      if (n <= 0) continue;
      const tokens = Array.from({ length: n }, (_, k) => mintToken(`conn-${user + k}`, { secret: DEV_JWT_SECRET, expiresInSec: 7200 }));
      user += n;
      left -= n;
      counts[w]! += n;
      jobs.push(
        ask<Opened>(
          workers[w]!,
          { kind: 'open', url: g.url, tokens, localAddresses, concurrency: Number(args.concurrency), timeoutMs: Number(args['timeout-ms']) },
          'opened',
        ),
      );
    }
    const results = await Promise.all(jobs);
    const failures = results.reduce((n, r) => n + r.failures, 0);
    const open = (await Promise.all(workers.map((w) => ask<Opened>(w, { kind: 'count' }, 'count')))).reduce((n, r) => n + r.open, 0);
    total = open;
    const rss = gatewayRssKb();
    console.log(
      `${fmt(open).padStart(8)} open  RSS ${fmt(rss / 1024, 1).padStart(7)} MiB  ${fmt(((rss - rssStart) * 1024) / Math.max(1, open)).padStart(6)} B/connection  ` +
        `${fmt((performance.now() - t0) / 1000, 1)} s${spread()}` +
        (failures ? `  — ${fmt(failures)} failed: ${results.find((r) => r.firstError)?.firstError ?? '?'}` : ''),
    );
    if (failures) {
      stopReason = 'connections failed';
      break;
    }
  }
  await sleep(3000);
  const still = (await Promise.all(workers.map((w) => ask<Opened>(w, { kind: 'count' }, 'count')))).reduce((n, r) => n + r.open, 0);
  // At the open-files limit the gateway cannot accept even this request: say so instead of waiting.
  const ready = await fetch(`${g.http}/readyz`, { signal: AbortSignal.timeout(5000) })
    .then((r) => String(r.status))
    .catch((err: Error) => `no answer within 5 s (${String((err.cause as Error | undefined)?.message ?? err.message)}; at the open-files limit a gateway cannot accept it)`);
  const rss = gatewayRssKb();
  console.log(
    `result: ${fmt(still)} concurrent idle authenticated connections held by one gateway of ${GATEWAY_WORKERS} process${GATEWAY_WORKERS > 1 ? 'es' : ''} ` +
      `(${stopReason}); gateway /readyz ${ready}; ` +
      `RSS ${fmt(rss / 1024, 1)} MiB = ${fmt(((rss - rssStart) * 1024) / Math.max(1, still))} B/connection over the start`,
  );
} finally {
  for (const w of workers) w.send({ kind: 'exit' });
  await g.stop();
  if (GATEWAY_WORKERS > 1) await deleteKeysWithPrefix(args['redis-url'], prefix);
}
process.exit(0);
