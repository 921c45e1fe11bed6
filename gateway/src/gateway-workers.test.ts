import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { befriend, connectUser, MONACO, move, NEAR, presenceScenarios, uniqueUser, type Side } from './testing/presence-scenarios.js';
import type { TestClient } from './testing/test-client.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

async function serverOf(c: TestClient): Promise<string> {
  return (await c.next('welcome')).server;
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * LOCUS_WORKERS=3: one gateway of three processes on one port (workers.ts), on the redis engine
 * under a unique key prefix. Users land on whichever worker the kernel picks; they see each other
 * through Redis as across gateways.
 */
describe('one gateway of three worker processes (redis engine)', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('locus-workers');
  let g: GatewayProcess;
  const side = (): Side => ({ url: g.url, token });
  /** Each worker's own port: base + index (a random base, away from the ephemeral range). */
  const portBase = 20_000 + Math.floor(Math.random() * 10_000);
  beforeAll(async () => {
    g = await startGatewayProcess(
      { LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: url, LOCUS_REDIS_PREFIX: prefix, LOCUS_WORKERS: '3', LOCUS_WORKER_PORT_BASE: String(portBase), LOCUS_DRAIN_MS: '200' },
      [],
      40_000,
    );
  }, 45_000);
  afterAll(async () => {
    await g?.stop();
    await deleteKeysWithPrefix(url, prefix);
  });

  presenceScenarios(() => [side(), side()]);

  it('each worker also answers on its own port (LOCUS_WORKER_PORT_BASE + index)', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`http://127.0.0.1:${portBase + i}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('ready');
    }
  });

  it('spreads connections over the workers, and friends on different workers see each other', async () => {
    const clients: { user: string; c: TestClient; server: string }[] = [];
    // SO_REUSEPORT hashes each connection's addresses: a few connections reach every worker.
    while (new Set(clients.map((x) => x.server)).size < 3 && clients.length < 60) {
      const user = uniqueUser('spread');
      const c = await connectUser(side(), user);
      clients.push({ user, c, server: await serverOf(c) });
    }
    const servers = [...new Set(clients.map((x) => x.server))].sort();
    expect(servers).toHaveLength(3);
    expect(servers.map((s) => s.slice(-3))).toEqual(['-w0', '-w1', '-w2']);
    const a = clients[0]!;
    const b = clients.find((x) => x.server !== a.server)!;
    await befriend(a.c, a.user, b.c, b.user);
    await move(a.c, MONACO);
    await move(b.c, NEAR);
    expect(await a.c.next('friend_loc', (m) => m.user === b.user)).toMatchObject({ lat: NEAR.lat, lng: NEAR.lng });
    for (const x of clients) x.c.close();
  });

  it('restarts a worker that dies; the others keep their connections', async () => {
    const before = g.logs.filter((l) => l.msg === 'worker restarted').length;
    const clients: { c: TestClient; server: string }[] = [];
    while (new Set(clients.map((x) => x.server)).size < 3 && clients.length < 60) {
      const c = await connectUser(side(), uniqueUser('restart'));
      clients.push({ c, server: await serverOf(c) });
    }
    const victim = clients[0]!.server;
    const pid = Number(/^gw-(\d+)-/.exec(victim)?.[1]);
    expect(g.logs.some((l) => l.instance === victim)).toBe(true);
    // The worker's own pid is not in its id (the supervisor's is): find it by its log lines.
    const workerPid = g.logs.find((l) => l.instance === victim && typeof l.pid === 'number')?.pid as number | undefined;
    expect(workerPid).toBeDefined();
    expect(workerPid).not.toBe(pid);
    process.kill(workerPid!, 'SIGKILL');
    for (const x of clients.filter((x) => x.server === victim)) await x.c.closed;
    await until(() => g.logs.filter((l) => l.msg === 'worker restarted').length > before, 20_000, 'the worker to restart');
    for (const x of clients.filter((x) => x.server !== victim)) expect(x.c.ws.readyState).toBe(x.c.ws.OPEN);
    // New connections reach the restarted worker too.
    const seen = new Set<string>();
    for (let i = 0; i < 60 && !seen.has(victim); i++) {
      const c = await connectUser(side(), uniqueUser('after'));
      seen.add(await serverOf(c));
      c.close();
    }
    expect(seen.has(victim)).toBe(true);
    for (const x of clients) x.c.close();
  }, 40_000);

  it('drains every worker on SIGTERM and exits 0', async () => {
    const c = await connectUser(side(), uniqueUser('drain'));
    const code = await g.stop();
    expect(code).toBe(0);
    expect((await c.closed).code).toBe(1012);
    expect(g.logs.filter((l) => l.msg === 'drained').length).toBeGreaterThanOrEqual(3);
  }, 20_000);
});

describe('LOCUS_WORKERS start-up failures', () => {
  it('a worker that cannot start fails the whole gateway (exit 1)', async () => {
    // Nothing listens on port 1: worker 0 cannot reach its engine.
    const started = startGatewayProcess({ LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: 'redis://127.0.0.1:1', LOCUS_WORKERS: '2' }, [], 40_000);
    await expect(started).rejects.toThrow(/exited with 1 before listening/);
  }, 45_000);
});
