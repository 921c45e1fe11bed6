import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { befriend, connectUser, MONACO, move, NEAR, settle, uniqueUser } from './testing/presence-scenarios.js';
import { startTestGateway } from './testing/test-gateway.js';

describe('slow consumer policy', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({
      LOCUS_RATE_PER_SEC: '100000',
      LOCUS_RATE_BURST: '100000',
      LOCUS_BACKPRESSURE_SOFT_BYTES: '16384',
      LOCUS_BACKPRESSURE_HARD_BYTES: '67108864',
      LOCUS_SLOW_CONSUMER_MS: '500',
    });
  });
  afterAll(() => t.stop());

  it('holds only the newest update per friend for a slow reader, then cuts it off with 4008; others are unaffected', async () => {
    const side = { url: t.url, token: t.token };
    const [slow, fast, friend] = [uniqueUser('slow'), uniqueUser('fast'), uniqueUser('friend')];
    const cs = await connectUser(side, slow);
    const cfast = await connectUser(side, fast);
    const cf = await connectUser(side, friend);
    await befriend(cs, slow, cf, friend);
    await befriend(cfast, fast, cf, friend);
    await move(cs, MONACO);
    await move(cfast, MONACO);
    await move(cf, NEAR);
    // Give the slow user a long history so each history reply is big.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => move(cs, { lat: MONACO.lat + i * 1e-6, lng: MONACO.lng })));

    const conn = [...t.gw.ctx.connections].find((c) => c.user === slow)!;
    (cs.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Fill the kernel buffers and then uWS's own until the socket is backpressured.
    for (let i = 0; i < 400 && (conn.ws?.getBufferedAmount() ?? 0) <= 16384; i++) {
      for (let j = 0; j < 5; j++) cs.send({ t: 'history', from: 0, to: Date.now() + 1000, limit: 1000 });
      await settle(20);
    }
    expect(conn.ws!.getBufferedAmount()).toBeGreaterThan(16384);

    const fastBefore = cfast.all('friend_loc').length;
    for (let i = 0; i < 20; i++) await move(cf, { lat: NEAR.lat + i * 1e-5, lng: NEAR.lng });
    // The slow reader holds one update (the newest) for the friend; the rest were superseded.
    expect(conn.pending?.size).toBe(1);
    await expect.poll(() => cfast.all('friend_loc').length - fastBefore).toBe(20);

    await expect.poll(() => conn.closed, { timeout: 4000 }).toBe(true);
    const metrics = await (await fetch(`${t.http}/metrics`)).text();
    expect(metrics).toMatch(/locus_closes_total\{code="4008"\} 1/);
    expect(metrics).toMatch(/locus_dropped_updates_total\{reason="stale"\} 19/);
    // The others carry on.
    expect(await cfast.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
    expect(await cf.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
    cs.ws.terminate();
    cfast.close();
    cf.close();
  }, 30_000);
});

describe('graceful drain', () => {
  it('tells every client to reconnect, closes them with 1012, and refuses new connections', async () => {
    const t = await startTestGateway({ LOCUS_DRAIN_MS: '300' });
    const side = { url: t.url, token: t.token };
    const clients = await Promise.all([1, 2, 3].map((i) => connectUser(side, uniqueUser(`d${i}`))));
    const drained = t.gw.drain();
    for (const c of clients) {
      expect(await c.next('reconnect')).toMatchObject({ reason: 'draining' });
      expect((await c.closed).code).toBe(1012);
    }
    await drained;
    await expect(connectUser(side, 'late')).rejects.toThrow();
    expect(t.gw.ctx.engine.state).toBe('closed');
  });
});
