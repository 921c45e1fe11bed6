/**
 * Starting and stopping the servers the side-by-side benchmark compares, each as its own process on
 * loopback: a Locus gateway (memory or redis engine), Socket.IO 4 + Redis adapter, and bare uWS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '@locus/engine/testing/delete-keys';
import { DEV_JWT_SECRET, GATEWAY_NODE_FLAGS, mintToken } from '@locus/gateway';
import { startGatewayProcess } from '@locus/gateway/testing/gateway-process';
import { killOnSignal } from '../on-signal.js';
import { ringPairs } from './ring.js';
import type { Stack, WorkerUser } from './worker.js';

export type StackName = 'locus-memory' | 'locus-redis' | 'socketio-redis' | 'uws';

export interface RunningStack {
  name: StackName;
  kind: Stack;
  pid: number;
  url: string;
  users: WorkerUser[];
  stop(): Promise<void>;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/PID/stat. Its clock ticks are
 * USER_HZ, 100 on Linux (what `getconf CLK_TCK` prints; Node has no sysconf).
 */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * The process id of the Redis server at `url` when it runs on this machine (a Redis process with that
 * id here), else null: its CPU per phase shows what each stack costs Redis.
 */
export async function localRedisPid(url: string): Promise<number | null> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined); // unreachable: no figure, and no "unhandled error" noise
  try {
    await r.connect();
    const pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
    const here = Number.isInteger(pid) && existsSync(`/proc/${pid}/comm`) && readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('redis');
    return here ? pid : null;
  } catch {
    return null;
  } finally {
    r.disconnect();
  }
}

export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

/** Gateway settings for a benchmark: limits out of the way, every friend within the radius. */
export const BENCH_GATEWAY_ENV = {
  LOCUS_RATE_PER_SEC: '100000',
  LOCUS_RATE_BURST: '100000',
  LOCUS_FLOOD_LIMIT: '1000000',
  LOCUS_MAX_INFLIGHT: '100000',
  // The GPS traces spread over ~50 km of Berlin: a radius that covers them all, so that every update
  // reaches every friend, as it does on the peers (which have no distance filter).
  LOCUS_DEFAULT_RADIUS_M: '1000000',
  LOCUS_IDLE_TIMEOUT_SEC: '960',
  // No OSM seed: presence only, and a quick start.
  LOCUS_SEED_OSM: '',
  LOCUS_LOG_LEVEL: 'info',
};

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

/** Spawn a tsx script that prints "listening PORT" and wait for it. */
async function spawnServer(script: string, args: string[], nodeArgs: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = killOnSignal(
    spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening (\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, port };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface StackOptions {
  users: number;
  friends: number;
  redisUrl: string;
  /** Extra node flags for the server process (a CPU profile). */
  nodeArgs?: string[];
  /** Locus on the redis engine: worker processes of the one gateway (LOCUS_WORKERS; 1 = one process). */
  locusWorkers?: number;
}

/** A process and its descendants (a gateway with LOCUS_WORKERS is a supervisor and its workers). */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone, or not Linux
  }
  return [pid, ...children.flatMap(processTree)];
}

export async function startStack(name: StackName, o: StackOptions): Promise<RunningStack> {
  const indexes = Array.from({ length: o.users }, (_, i) => i);
  if (name === 'locus-memory' || name === 'locus-redis') {
    const workers = o.locusWorkers ?? 1;
    if (workers > 1 && name !== 'locus-redis') throw new Error('--locus-workers needs the locus-redis stack');
    const prefix = `locus-bench:${process.pid}:${Date.now()}:`;
    const g = await startGatewayProcess(
      {
        ...BENCH_GATEWAY_ENV,
        LOCUS_ENGINE: name === 'locus-redis' ? 'redis' : 'memory',
        LOCUS_REDIS_URL: o.redisUrl,
        LOCUS_REDIS_PREFIX: prefix,
        LOCUS_MAX_FRIENDS: String(Math.max(1000, o.friends * 2)),
        LOCUS_WORKERS: String(workers),
      },
      o.nodeArgs ?? [],
    );
    killOnSignal(g.child);
    const id = (i: number): string => `bench-${i}`;
    const auth = (i: number): string => `Bearer ${mintToken(id(i), { secret: DEV_JWT_SECRET, expiresInSec: 3600 })}`;
    const rest = async (i: number, path: string, body?: unknown): Promise<void> => {
      const res = await fetch(g.http + path, {
        method: 'POST',
        headers: { authorization: auth(i), 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${await res.text()}`);
    };
    // The same ring of friendships as the peers, made through Locus's own API.
    await pool(ringPairs(o.users, o.friends), 32, async ([a, b]) => {
      await rest(a, '/v1/friends/requests', { user: id(b) });
      await rest(b, `/v1/friends/requests/${id(a)}/accept`);
    });
    return {
      name,
      kind: 'locus',
      pid: g.child.pid!,
      url: g.url,
      users: indexes.map((index) => ({ index, token: mintToken(id(index), { secret: DEV_JWT_SECRET, expiresInSec: 3600 }) })),
      async stop() {
        await g.stop();
        if (name === 'locus-redis') await deleteKeysWithPrefix(o.redisUrl, prefix).catch(() => 0);
      },
    };
  }
  if (name === 'socketio-redis') {
    const key = `locus-bench-sio:${process.pid}:${Date.now()}`;
    const { child, port } = await spawnServer('./socketio-server.ts', [String(o.users), String(o.friends), o.redisUrl, key], o.nodeArgs);
    return { name, kind: 'socketio', pid: child.pid!, url: `ws://127.0.0.1:${port}`, users: indexes.map((index) => ({ index })), stop: () => stopChild(child) };
  }
  // The ceiling gets the gateway's Node options (GATEWAY_NODE_FLAGS) too: what bounds it should be
  // the machine, not a tuning Locus has and it lacks. Socket.IO runs as deployed by default (with
  // them its ceiling did not rise: BENCHMARKS.md, session 21).
  const { child, port } = await spawnServer('./uws-server.ts', [String(o.users), String(o.friends)], [...GATEWAY_NODE_FLAGS, ...(o.nodeArgs ?? [])]);
  return { name, kind: 'uws', pid: child.pid!, url: `ws://127.0.0.1:${port}/`, users: indexes.map((index) => ({ index })), stop: () => stopChild(child) };
}
