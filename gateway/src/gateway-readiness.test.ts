import { deleteKeysWithPrefix, TcpProxy, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { befriend, connectUser, MONACO, move, NEAR, uniqueUser } from './testing/presence-scenarios.js';
import { startTestGateway } from './testing/test-gateway.js';

/**
 * Readiness must follow pub/sub delivery, not a socket state: Redis is cut off behind a proxy (the
 * shared Redis itself is never touched), /readyz must go 503, then 200 again once Redis is back, and
 * open client connections survive and get updates again.
 */
describe('readiness follows the engine (redis behind a cuttable proxy)', () => {
  const redisUrl = testRedisUrl();
  const target = new URL(redisUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  const prefix = uniquePrefix('locus-ready');
  let t: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    const port = await proxy.start();
    t = await startTestGateway({ LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: `redis://127.0.0.1:${port}`, LOCUS_REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await t.stop();
    await proxy.stop();
    await deleteKeysWithPrefix(redisUrl, prefix);
  });

  const ready = async () => (await fetch(`${t.http}/readyz`)).status;

  it('503 while Redis is unreachable, 200 once it is back; clients keep their connections', async () => {
    const side = { url: t.url, token: t.token };
    const [a, b] = [uniqueUser('a'), uniqueUser('b')];
    const ca = await connectUser(side, a);
    const cb = await connectUser(side, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    expect(await ready()).toBe(200);

    await proxy.stop();
    await expect.poll(ready, { timeout: 5000, interval: 200 }).toBe(503);
    const body = (await (await fetch(`${t.http}/readyz`)).json()) as { status: string };
    expect(body.status).toBe('not_ready');
    // An update while Redis is away is refused with an engine code, not lost silently.
    expect(await ca.request({ t: 'loc', lat: MONACO.lat, lng: MONACO.lng, ts: Date.now() })).toMatchObject({
      t: 'error',
      code: expect.stringMatching(/^ENGINE_/),
    });

    await proxy.start();
    await expect.poll(ready, { timeout: 10_000, interval: 200 }).toBe(200);
    // Same sockets, subscriptions restored: updates flow again.
    await move(cb, NEAR);
    await ca.next('friend_loc', (m) => m.user === b);
    ca.close();
    cb.close();
  }, 30_000);
});
