import { pack } from 'msgpackr';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from './testing/test-gateway.js';
import { TestClient } from './testing/test-client.js';

describe('bad input on the socket', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_MAX_FRAME_BYTES: '1024', LOCUS_RATE_PER_SEC: '50', LOCUS_RATE_BURST: '200', LOCUS_BAD_MESSAGE_LIMIT: '20' });
  });
  afterAll(() => t.stop());

  const connect = async (user: string) => {
    const c = await TestClient.connect(t.url, { token: t.token(user) });
    await c.next('welcome');
    return c;
  };
  /** The connection still answers a request after the bad input. */
  const stillUsable = async (c: TestClient) => expect(await c.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
  const loc = { t: 'loc', lat: 43.73, lng: 7.42, ts: Date.now() };

  it.each([
    ['bytes that are not msgpack', new Uint8Array([0xc1, 0xc1, 0xc1]), true, 'BAD_MESSAGE'],
    ['truncated msgpack', new Uint8Array(pack(loc)).subarray(0, 10), true, 'BAD_MESSAGE'],
    ['a msgpack non-map', new Uint8Array(pack([1, 2, 3])), true, 'BAD_MESSAGE'],
    ['invalid JSON text', '{"t":"loc",', false, 'BAD_MESSAGE'],
    ['wrong field types', new Uint8Array(pack({ ...loc, lat: 'north' })), true, 'BAD_MESSAGE'],
    ['NaN latitude', new Uint8Array(pack({ ...loc, lat: Number.NaN })), true, 'BAD_MESSAGE'],
    ['Infinity longitude', new Uint8Array(pack({ ...loc, lng: Number.POSITIVE_INFINITY })), true, 'BAD_MESSAGE'],
    ['latitude out of range', new Uint8Array(pack({ ...loc, lat: 91 })), true, 'BAD_MESSAGE'],
    ['longitude out of range', new Uint8Array(pack({ ...loc, lng: -181 })), true, 'BAD_MESSAGE'],
    ['a fix from the far future', new Uint8Array(pack({ ...loc, ts: Date.now() + 86_400_000 })), true, 'BAD_MESSAGE'],
    ['a fix from the far past', new Uint8Array(pack({ ...loc, ts: Date.now() - 10 * 86_400_000 })), true, 'BAD_MESSAGE'],
    ['an unknown message type', new Uint8Array(pack({ t: 'warp', id: 1 })), true, 'UNKNOWN_TYPE'],
    ['a frame over the size limit', new Uint8Array(pack({ t: 'ping', pad: 'x'.repeat(2000) })), true, 'TOO_LARGE'],
  ] as const)('answers %s with an error and stays usable', async (_n, data, binary, code) => {
    const c = await connect(`bad-${code}-${Math.random().toString(36).slice(2, 6)}`);
    c.sendRaw(data, binary);
    expect(await c.next('error')).toMatchObject({ code });
    await stillUsable(c);
    c.close();
  });

  it('echoes the request id on validation errors', async () => {
    const c = await connect('bad-id');
    c.send({ t: 'loc', id: 'x1', lat: 'a', lng: 0, ts: Date.now() });
    expect(await c.next('error')).toMatchObject({ id: 'x1', code: 'BAD_MESSAGE', details: { field: 'lat' } });
    c.close();
  });

  it('answers NOT_FRIEND when removing a stranger', async () => {
    const c = await connect('lonely');
    expect(await c.request({ t: 'friend_remove', user: 'stranger' })).toMatchObject({ t: 'error', code: 'NOT_FRIEND' });
    c.close();
  });

  it('closes with 4002 after repeated garbage', async () => {
    const c = await connect('garbage');
    for (let i = 0; i < 25; i++) c.sendRaw(new Uint8Array([0xc1]), true);
    expect((await c.closed).code).toBe(4002);
  });

  it('never crashes on a storm of random frames, and keeps serving others', async () => {
    const c = await connect('fuzz');
    const other = await connect('fuzz-bystander');
    for (let i = 0; i < 15; i++) {
      const n = Math.floor(Math.random() * 64);
      c.sendRaw(Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256)), Math.random() < 0.7);
    }
    await stillUsable(other);
    c.close();
    other.close();
  });
});

describe('rate limit', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_RATE_PER_SEC: '5', LOCUS_RATE_BURST: '5', LOCUS_FLOOD_LIMIT: '50' });
  });
  afterAll(() => t.stop());

  it('answers RATE_LIMITED past the bucket, recovers, and closes a flood with 4029', async () => {
    const c = await TestClient.connect(t.url, { token: t.token('flooder') });
    await c.next('welcome');
    for (let i = 0; i < 8; i++) c.send({ t: 'ping' });
    expect(await c.next('error')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(c.all('pong').length).toBeLessThanOrEqual(6);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
    for (let i = 0; i < 100; i++) c.send({ t: 'ping' });
    expect((await c.closed).code).toBe(4029);
  });
});

describe('requests in flight (redis engine: engine calls take real time)', () => {
  const redisUrl = testRedisUrl();
  const prefix = uniquePrefix('locus-inflight');
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({
      LOCUS_ENGINE: 'redis',
      LOCUS_REDIS_URL: redisUrl,
      LOCUS_REDIS_PREFIX: prefix,
      LOCUS_MAX_INFLIGHT: '4',
      LOCUS_RATE_PER_SEC: '10000',
      LOCUS_RATE_BURST: '10000',
    });
  });
  afterAll(async () => {
    await t.stop();
    await deleteKeysWithPrefix(redisUrl, prefix);
  });

  it('sheds requests beyond the in-flight limit with RATE_LIMITED, and answers every request', async () => {
    const c = await TestClient.connect(t.url, { token: t.token('eager') });
    await c.next('welcome');
    // Corked: the frames reach the gateway in one read, before any engine call can finish.
    const socket = (c.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.cork();
    for (let i = 0; i < 50; i++) c.send({ t: 'loc', id: i, lat: 43.7, lng: 7.4, ts: Date.now() });
    socket.uncork();
    const shed = () => c.all('error').filter((e) => e.code === 'RATE_LIMITED');
    await expect.poll(() => c.all('ok').length + shed().length).toBe(50);
    expect(shed().length).toBeGreaterThan(0);
    expect(c.all('ok').length).toBeGreaterThanOrEqual(4);
    c.close();
  });
});
