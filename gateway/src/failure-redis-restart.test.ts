import { LocalRedis, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { allOpen, deliveriesResumed, friendPairs, ReadinessLog } from './testing/failure-scenario.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

/**
 * Failure test 2: the standalone Redis under two gateway processes (`redis` engine) is killed and
 * restarted on the same port (a Redis of this test's own, with an append-only file, never the shared
 * one). Gateways keep every client connection, report not-ready while Redis is away, resubscribe when
 * it is back, and deliveries resume; measured from the moment Redis answers again.
 */
describe('failure: the standalone Redis restarts under the redis engine', () => {
  const prefix = uniquePrefix('locus-fail-redis');
  let redis: LocalRedis;
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  beforeAll(async () => {
    redis = await LocalRedis.start();
    const env = { LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: redis.url, LOCUS_REDIS_PREFIX: prefix, LOCUS_SEED_OSM: '' };
    [g1, g2] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([g1?.stop(), g2?.stop()]);
    await redis?.stop();
  });

  it('connections stay; /readyz goes 503 then 200; deliveries resume within 5 s of Redis answering again', async () => {
    const pairs = await friendPairs({ url: g1.url, token }, { url: g2.url, token }, 8);
    await deliveriesResumed(pairs, 0, 5_000);
    const ready = new ReadinessLog(g1.http);
    const killedAt = Date.now();
    await redis.kill();
    // Down long enough for the gateways to notice and for /readyz to be sampled.
    await expect.poll(() => ready.first(503, killedAt), { timeout: 5_000, interval: 50 }).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    const restartAt = Date.now();
    await redis.restart();
    const backAt = Date.now();
    const resumedAt = await deliveriesResumed(pairs, backAt, 15_000);
    await expect.poll(() => ready.samples.at(-1)?.status, { timeout: 10_000, interval: 100 }).toBe(200);
    await ready.stop();

    const notReadyAt = ready.first(503, killedAt)!;
    const readyAgainAt = ready.first(200, notReadyAt);
    console.log(
      `[failure-redis-restart] /readyz 503 from +${notReadyAt - killedAt} ms to +${(readyAgainAt ?? 0) - killedAt} ms after the kill; ` +
        `Redis back at +${backAt - killedAt} ms; deliveries resumed ${resumedAt - backAt} ms after Redis answered again`,
    );
    // Not ready while Redis was away (a sample's time is when its answer came).
    expect(ready.samples.filter((s) => s.at > notReadyAt && s.at < restartAt && s.status === 200)).toEqual([]);
    expect(readyAgainAt).toBeGreaterThan(restartAt);
    expect(resumedAt - backAt).toBeLessThanOrEqual(5_000);
    expect(allOpen(pairs)).toBe(true);
    for (const p of pairs) {
      p.watcher.close();
      p.mover.close();
    }
  }, 60_000);
});
