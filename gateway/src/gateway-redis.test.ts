import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { connectUser, presenceScenarios, ttlScenario, uniqueUser, type Side } from './testing/presence-scenarios.js';

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

    it('reports ready only with a working pub/sub round trip', async () => {
      const r = await fetch(`${g1.http}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'ready', engine: 'redis' });
    });
  }
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
