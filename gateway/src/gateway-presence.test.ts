import { afterAll, beforeAll, describe } from 'vitest';
import { expect, it } from 'vitest';
import { befriend, connectUser, move, MONACO, NEAR, presenceScenarios, strangersScenario, ttlScenario, uniqueUser, type Side } from './testing/presence-scenarios.js';
import { TestClient } from './testing/test-client.js';
import { startTestGateway } from './testing/test-gateway.js';

describe('nearby friends on one gateway (memory engine)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.stop());
  const side = (): Side => ({ url: t.url, token: t.token });
  presenceScenarios(() => [side(), side()]);
  strangersScenario(() => [side(), side()]);

  it('a JSON client gets friend updates as text frames, as a msgpack one gets binary frames', async () => {
    // Friend updates leave through the socket's own uWS topic (ws/own-topic.ts), in either format.
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await TestClient.connect(t.url, { token: t.token(a), format: 'json' });
    await ca.next('nearby');
    const cb = await connectUser(side(), b);
    const binary: boolean[] = [];
    ca.ws.on('message', (_data, isBinary) => binary.push(isBinary));
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    await move(cb, NEAR);
    expect(await ca.next('friend_loc', (m) => m.user === b)).toMatchObject({ lat: NEAR.lat, lng: NEAR.lng });
    expect(binary.length).toBeGreaterThan(0);
    expect(binary.every((x) => !x)).toBe(true);
    ca.close();
    cb.close();
  });
});

describe('location TTL (memory engine)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_LOCATION_TTL_SEC: '1' });
  });
  afterAll(() => t.stop());
  const side = (): Side => ({ url: t.url, token: t.token });
  ttlScenario(() => [side(), side()]);
});

describe('friend limit (each friend is a channel subscription)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_MAX_FRIENDS: '2' });
  });
  afterAll(() => t.stop());

  it('refuses a request beyond LOCUS_MAX_FRIENDS (friends + pending requests) with LIMIT_EXCEEDED', async () => {
    const me = uniqueUser('popular');
    const c = await connectUser({ url: t.url, token: t.token }, me);
    expect(await c.request({ t: 'friend_request', user: uniqueUser('f1') })).toMatchObject({ t: 'ok' });
    expect(await c.request({ t: 'friend_request', user: uniqueUser('f2') })).toMatchObject({ t: 'ok' });
    expect(await c.request({ t: 'friend_request', user: uniqueUser('f3') })).toMatchObject({
      t: 'error',
      code: 'LIMIT_EXCEEDED',
      details: { limit: 2 },
    });
    c.close();
  });
});
