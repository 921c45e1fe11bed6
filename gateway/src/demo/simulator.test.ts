import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { httpCaller } from '../testing/http-call.js';
import { TestClient } from '../testing/test-client.js';
import { startTestGateway } from '../testing/test-gateway.js';
import { demoCarIds } from './cars.js';
import { DemoSimulator } from './simulator.js';

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/**
 * The simulated friends as socket clients, on a gateway without a map: they cannot route, so they
 * stay where they start and report that place every tick.
 */
describe('demo simulator', () => {
  let t: TestGateway;
  let sim: DemoSimulator;
  const START = { lat: 43.7384, lng: 7.4246 };
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_DEMO: 'on' });
  });
  afterAll(async () => {
    await sim?.stop();
    await t.stop();
  });
  const http = httpCaller(() => t.http);

  it('names its cars', () => {
    expect(demoCarIds(3)).toEqual(['car-ana', 'car-bruno', 'car-chloe']);
    expect(demoCarIds(13)[12]).toBe('car-13');
  });

  it('accepts requests sent before and after it connects, and its positions reach the new friend', async () => {
    // Before: a request waits in car-ana's incoming list.
    expect((await http('POST', '/v1/friends/requests', { token: t.token('viewer-test1'), body: { user: 'car-ana' } })).json).toMatchObject({ status: 'requested' });
    const viewer = await TestClient.connect(t.url, { token: t.token('viewer-test1'), format: 'json' });
    await viewer.next('welcome');
    viewer.send({ t: 'loc', lat: START.lat, lng: START.lng, ts: Date.now() });
    sim = new DemoSimulator({
      http: t.http,
      ws: t.url,
      cars: ['car-ana', 'car-bruno'],
      tokenFor: (user) => t.token(user),
      destinations: [START],
      tickMs: 100,
      log: createLogger('silent', 'test'),
    });
    sim.start();
    await viewer.next('friend_event', (m) => m.kind === 'accepted' && m.user === 'car-ana', 5000);
    // After: a live request is accepted from the push.
    viewer.send({ t: 'friend_request', user: 'car-bruno', id: 'r' });
    await viewer.next('friend_event', (m) => m.kind === 'accepted' && m.user === 'car-bruno', 5000);
    const loc = await viewer.next('friend_loc', (m) => m.user === 'car-bruno', 5000);
    expect(loc.lat).toBeCloseTo(START.lat, 6);
    expect(loc.lng).toBeCloseTo(START.lng, 6);
    viewer.ws.close();
  });

  it('stops: its sockets close and do not come back', async () => {
    const before = t.gw.ctx.connections.size;
    expect(before).toBeGreaterThanOrEqual(2);
    await sim.stop();
    await expect.poll(() => t.gw.ctx.connections.size, { timeout: 5000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 2500));
    expect(t.gw.ctx.connections.size).toBe(0);
  });
});
