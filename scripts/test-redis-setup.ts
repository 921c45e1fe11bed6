/**
 * vitest globalSetup: decides which Redis the test run uses, once, before any test file runs.
 *
 *   1. LOCUS_TEST_REDIS_URL, when set (CI with a service container, a remote dev Redis);
 *   2. else a Redis answering PING on 127.0.0.1:6379 (the usual developer machine);
 *   3. else a private redis-server on a free loopback port, without persistence, stopped at the
 *      end of the run; installed with apt-get first when missing and running as root.
 *
 * LOCUS_TEST_REDIS_FORCE_OWN=1 skips 1 and 2 (to exercise 3). Tests share the Redis, so they
 * isolate themselves with unique key prefixes and never FLUSH.
 *
 * The URL reaches tests through provide('redisUrl') (see engine/src/testing/redis-url.ts) and
 * process.env.LOCUS_TEST_REDIS_URL (inherited by the forked test workers).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type {} from '../engine/src/testing/provided-context.js';

const LOCAL = { host: '127.0.0.1', port: 6379 };
const START_TIMEOUT_MS = 10_000;

let server: { child: ChildProcess; dir: string } | undefined;

export async function setup(project: TestProject): Promise<void> {
  const url = await chooseRedis();
  project.provide('redisUrl', url);
  process.env.LOCUS_TEST_REDIS_URL = url;
}

export async function teardown(): Promise<void> {
  if (server === undefined) return;
  const { child, dir } = server;
  server = undefined;
  await stop(child);
  rmSync(dir, { recursive: true, force: true });
}

async function chooseRedis(): Promise<string> {
  const forceOwn = process.env.LOCUS_TEST_REDIS_FORCE_OWN === '1';
  const fromEnv = process.env.LOCUS_TEST_REDIS_URL;
  if (!forceOwn && fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!forceOwn && (await ping(LOCAL.host, LOCAL.port, 500))) return `redis://${LOCAL.host}:${LOCAL.port}`;
  return startOwnServer();
}

async function startOwnServer(): Promise<string> {
  ensureRedisServerInstalled();
  const port = await freePort();
  // No persistence, loopback only; its own working dir so nothing lands in the repository.
  const dir = mkdtempSync(join(tmpdir(), 'locus-test-redis-'));
  const args = ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  server = { child, dir };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await ping('127.0.0.1', port, 200))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await teardown();
      throw new Error(`redis-server on port ${port} did not start within ${START_TIMEOUT_MS} ms: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  console.log(`[test-redis-setup] started redis-server (pid ${child.pid}) on 127.0.0.1:${port}`);
  return `redis://127.0.0.1:${port}`;
}

function ensureRedisServerInstalled(): void {
  if (hasRedisServer()) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new Error(
      'No Redis for the tests: LOCUS_TEST_REDIS_URL is unset, nothing answers on 127.0.0.1:6379, and redis-server is not installed (install it, e.g. `apt-get install redis-server`, or set LOCUS_TEST_REDIS_URL).',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'redis-server']]) {
    console.log(`[test-redis-setup] redis-server not found; running: apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.error !== undefined || r.status !== 0) {
      throw new Error(`No Redis for the tests, and \`apt-get ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`}). Install redis-server or set LOCUS_TEST_REDIS_URL.`);
    }
  }
  if (!hasRedisServer()) throw new Error('apt-get installed redis-server but it is still not on PATH');
}

function hasRedisServer(): boolean {
  const r = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** true when a Redis answers PING with +PONG (a server demanding AUTH does not count: tests could not use it). */
function ping(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A port the OS just handed out and released: free unless something races us for it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
