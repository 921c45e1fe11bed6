import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { connectUser, presenceScenarios, strangersScenario, ttlScenario, uniqueUser, type Side } from './testing/presence-scenarios.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

/**
 * Two real gateway processes on the `redis` engine, sharing one Redis under a unique key prefix:
 * users on different gateways see each other through Redis pub/sub.
 */
describe.each([
  ['two gateway processes on the redis engine', '600'],
  ['two gateway processes on the redis engine, 1 s location TTL', '1'],
])('%s', (_name, ttl) => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('locus-e2e');
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  beforeAll(async () => {
    const env = { LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: url, LOCUS_REDIS_PREFIX: prefix, LOCUS_LOCATION_TTL_SEC: ttl };
    [g1, g2] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([g1?.stop(), g2?.stop()]);
    await deleteKeysWithPrefix(url, prefix);
  });
  const sides = (): [Side, Side] => [
    { url: g1.url, token },
    { url: g2.url, token },
  ];
  if (ttl === '1') ttlScenario(sides);
  else {
    presenceScenarios(sides);
    strangersScenario(sides);

    it('reports ready only with a working pub/sub round trip', async () => {
      const r = await fetch(`${g1.http}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'ready', engine: 'redis' });
    });
  }
});

describe('geo on two gateway processes (redis engine, Monaco seed)', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('locus-e2e-geo');
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  beforeAll(async () => {
    const env = { LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: url, LOCUS_REDIS_PREFIX: prefix };
    // One seeds the empty store; the other starts after it and loads the same businesses.
    g1 = await startGatewayProcess(env);
    g2 = await startGatewayProcess(env);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([g1?.stop(), g2?.stop()]);
    await deleteKeysWithPrefix(url, prefix);
  });
  const search = async (g: GatewayProcess, q: string) =>
    ((await (await fetch(`${g.http}/v1/search/nearby?${q}`)).json()) as { results: { id: string; name: string }[] }).results;

  it('both gateways search the same seeded businesses', async () => {
    const q = 'lat=43.7384&lng=7.4246&radius=2000&limit=30';
    const [r1, r2] = [await search(g1, q), await search(g2, q)];
    expect(r1.length).toBe(30);
    expect(r2.map((r) => r.id)).toEqual(r1.map((r) => r.id));
  });

  it('a business written on one gateway reaches search on the other', async () => {
    const op = mintToken('ops', { secret: DEV_JWT_SECRET, roles: ['operator'] });
    const res = await fetch(`${g1.http}/v1/businesses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Cross-gateway Café', lat: 43.7301, lng: 7.4201, category: 'cafe' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await expect.poll(async () => (await search(g2, 'lat=43.7301&lng=7.4201&radius=10&category=cafe')).map((r) => r.id), { timeout: 3000 }).toContain(id);
  });

  it("an operator fence fires for a user on the other gateway, and the event reaches the owner's socket", async () => {
    const op = uniqueUser('op');
    const walker = uniqueUser('walker');
    const cop = await connectUser({ url: g1.url, token }, op);
    const cw = await connectUser({ url: g2.url, token }, walker);
    const opToken = mintToken(op, { secret: DEV_JWT_SECRET, roles: ['operator'] });
    const res = await fetch(`${g1.http}/v1/fences`, {
      method: 'POST',
      headers: { authorization: `Bearer ${opToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fence: { kind: 'circle', lat: 43.7384, lng: 7.4246, radius: 200 }, scope: 'all' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    // Give gateway 2 the fence (one pub/sub hop), then walk in.
    await new Promise((r) => setTimeout(r, 300));
    await cw.request({ t: 'loc', lat: 43.7384, lng: 7.4246, ts: Date.now() });
    expect(await cop.next('fence_event')).toMatchObject({ fence: id, kind: 'enter', user: walker });
    cop.close();
    cw.close();
  });
});

describe('SIGTERM drain of a gateway process', () => {
  it('tells clients to reconnect, closes them with 1012 and exits 0', async () => {
    const g = await startGatewayProcess({ LOCUS_DRAIN_MS: '200' });
    const side = { url: g.url, token };
    const a = await connectUser(side, uniqueUser('a'));
    const b = await connectUser(side, uniqueUser('b'));
    const code = g.stop();
    for (const c of [a, b]) {
      expect(await c.next('reconnect')).toMatchObject({ reason: 'draining' });
      expect((await c.closed).code).toBe(1012);
    }
    expect(await code).toBe(0);
    expect(g.logs.some((l) => l.msg === 'drained')).toBe(true);
  }, 30_000);

  it('refuses to start with a clear error naming a bad variable', async () => {
    await expect(startGatewayProcess({ LOCUS_PORT: 'eighty' })).rejects.toThrow(/LOCUS_PORT/);
  });
});
