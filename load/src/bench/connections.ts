/**
 * npm run bench:connections -- [--target 100000] [--step 10000] [--per-worker 15000] [--addresses N]
 *                              [--timeout-ms 15000] [--max-seconds 300]
 *
 * How many concurrent idle authenticated connections one gateway holds, and its RSS per connection
 * on the way: a gateway process (memory engine, no OSM seed) on loopback; client processes open
 * connections `--step` at a time, spread over several source addresses 127.0.0.2… (each source
 * address has only ~28k ephemeral ports towards one server port), until the target, the first step
 * with a failed connection, or the time bound. Then checks that all are still open and the gateway
 * still answers. The open-files limit (RLIMIT_NOFILE) of the gateway bounds the count: it is raised
 * with prlimit where the machine allows and reported either way. Loopback only; prints figures.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, mintToken } from '@locus/gateway';
import { startGatewayProcess } from '@locus/gateway/testing/gateway-process';
import { killOnSignal } from './on-signal.js';
import { BENCH_GATEWAY_ENV, rssKb } from './peers/stacks.js';

const { values: args } = parseArgs({
  options: {
    target: { type: 'string', default: '100000' },
    step: { type: 'string', default: '10000' },
    'per-worker': { type: 'string', default: '15000' },
    addresses: { type: 'string' },
    concurrency: { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '15000' },
    'max-seconds': { type: 'string', default: '300' },
  },
});
const TARGET = Number(args.target);
const STEP = Number(args.step);
const PER_WORKER = Number(args['per-worker']);
const ADDRESSES = Number(args.addresses ?? Math.max(1, Math.ceil(TARGET / 20_000)));
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

const g = await startGatewayProcess({ ...BENCH_GATEWAY_ENV, LOCUS_ENGINE: 'memory' });
killOnSignal(g.child);
const gpid = g.child.pid!;
console.log(`gateway pid ${gpid}: ${raiseNofile(gpid, TARGET + 1000)}; its limit now ${nofile(gpid).soft}`);
const workers: ChildProcess[] = [];
const counts: number[] = [];
const deadline = Date.now() + Number(args['max-seconds']) * 1000;
let total = 0;
let stopReason = 'target reached';
try {
  await sleep(1000);
  const rssStart = rssKb(gpid);
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
    const rss = rssKb(gpid);
    console.log(
      `${fmt(open).padStart(8)} open  RSS ${fmt(rss / 1024, 1).padStart(7)} MiB  ${fmt(((rss - rssStart) * 1024) / Math.max(1, open)).padStart(6)} B/connection  ` +
        `${fmt((performance.now() - t0) / 1000, 1)} s` +
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
    .catch(() => 'no answer within 5 s (no file descriptor left to accept it)');
  const rss = rssKb(gpid);
  console.log(
    `result: ${fmt(still)} concurrent idle authenticated connections held (${stopReason}); gateway /readyz ${ready}; ` +
      `RSS ${fmt(rss / 1024, 1)} MiB = ${fmt(((rss - rssStart) * 1024) / Math.max(1, still))} B/connection over the start`,
  );
} finally {
  for (const w of workers) w.send({ kind: 'exit' });
  await g.stop();
}
process.exit(0);
