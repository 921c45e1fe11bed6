import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineContract } from '../contract.js';
import { isEngineError } from '../errors.js';
import { deleteKeysWithPrefix } from '../testing/delete-keys.js';
import { countSocketWrites, issueTurnByTurn } from '../testing/socket-writes.js';
import { testRedisUrl } from '../testing/redis-url.js';
import { TcpProxy } from '../testing/tcp-proxy.js';
import { uniquePrefix } from '../testing/unique-prefix.js';
import type { BusListener, EngineState } from '../types.js';
import { RedisEngine } from './redis-engine.js';

/** Everything this run writes lives under this prefix; deleted at the end (never FLUSH a shared Redis). */
const runPrefix = uniquePrefix();
const url = testRedisUrl();

afterAll(async () => {
  await deleteKeysWithPrefix(url, runPrefix);
});

engineContract('redis', async () => new RedisEngine({ url, prefix: runPrefix }));

describe('RedisEngine specifics', () => {
  const engines: RedisEngine[] = [];
  /** A third connection, for poking at Redis behind the engine's back. */
  let admin: Redis;

  const make = (prefix = runPrefix, connectTimeoutMs?: number): RedisEngine => {
    const e = new RedisEngine({ url, prefix, connectTimeoutMs });
    engines.push(e);
    return e;
  };

  /** Kills one connection of one engine (by its CLIENT SETNAME), never anybody else's. */
  async function killConnection(name: string): Promise<void> {
    const list = (await admin.client('LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${name} `));
    const id = line?.match(/^id=(\d+) /)?.[1];
    if (id === undefined) throw new Error(`no client named ${name}`);
    expect(await admin.client('KILL', 'ID', id)).toBe(1);
  }

  beforeAll(async () => {
    admin = new Redis(url, { lazyConnect: true });
    await admin.connect();
  });

  afterAll(() => {
    admin.disconnect();
  });

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });


  it('writes at most once per write window: commands one turn apart share a write', async () => {
    const e = new RedisEngine({ url, prefix: runPrefix, writeWindowMs: 30 });
    engines.push(e);
    await e.connect();
    await e.kv.set('turns:warm', new Uint8Array([0]), 60_000); // the last write is long enough ago below
    await new Promise((r) => setTimeout(r, 40));
    const writes = countSocketWrites((e as unknown as { cmd: Redis }).cmd);
    await issueTurnByTurn(10, (i) => e.kv.set(`turns:${i}`, new Uint8Array([i]), 60_000));
    // The first at once (a quiet connection waits for nothing), the other nine within the window.
    expect(writes()).toBeLessThanOrEqual(3);
    expect((await e.kv.get('turns:9'))?.[0]).toBe(9);
  });
  it('stores keys and publishes channels under the prefix, and maps channels back', async () => {
    const prefix = `${runPrefix}p1:`;
    const e = make(prefix);
    await e.connect();
    await e.kv.set('k', new Uint8Array([1, 2]));
    expect(await admin.getBuffer(`${prefix}k`)).toEqual(Buffer.from([1, 2]));

    const got: string[] = [];
    await e.bus.subscribe('ch', (channel) => got.push(channel));
    expect(await admin.publish(`${prefix}ch`, 'x')).toBe(1);
    await vi.waitFor(() => expect(got).toEqual(['ch']));
  });

  it('engines with the same prefix share state and messages; other prefixes are isolated', async () => {
    const a = make(`${runPrefix}shared:`);
    const b = make(`${runPrefix}shared:`);
    const other = make(`${runPrefix}other:`);
    await Promise.all([a.connect(), b.connect(), other.connect()]);

    await a.kv.set('k', new Uint8Array([7]));
    expect(await b.kv.get('k')).toEqual(Buffer.from([7]));
    expect(await other.kv.get('k')).toBeNull();

    const inB: number[] = [];
    const inOther: number[] = [];
    await b.bus.subscribe('ch', (_c, p) => inB.push(p[0]!));
    await other.bus.subscribe('ch', (_c, p) => inOther.push(p[0]!));
    await a.bus.publish('ch', new Uint8Array([1]));
    await vi.waitFor(() => expect(inB).toEqual([1]));
    // Barrier on `other`'s own bus: anything for it would have arrived first.
    await other.probe(2_000);
    expect(inOther).toEqual([]);
  });

  it('restores subscriptions after the subscriber connection is killed (down, then ready)', async () => {
    const e = make();
    await e.connect();
    const states: EngineState[] = [];
    e.onState((s) => states.push(s));
    const got: number[] = [];
    const listener: BusListener = (_c, p) => got.push(p[0]!);
    await e.bus.subscribe('restore-a', listener);
    await e.bus.subscribe('restore-b', listener);

    await killConnection(e.connectionNames.subscriber);
    await vi.waitFor(() => expect(states).toEqual(['down', 'ready']), { timeout: 5_000 });
    expect(e.bus.channelCount).toBe(2);

    await e.bus.publish('restore-a', new Uint8Array([1]));
    await e.bus.publish('restore-b', new Uint8Array([2]));
    await vi.waitFor(() => expect(got).toEqual([1, 2]));
    expect(await e.probe(2_000)).toBeGreaterThanOrEqual(0);

    // Unsubscribed channels stay unsubscribed after another reconnect.
    await e.bus.unsubscribe('restore-b', listener);
    await killConnection(e.connectionNames.subscriber);
    await vi.waitFor(() => expect(states).toEqual(['down', 'ready', 'down', 'ready']), { timeout: 5_000 });
    const channels = (await admin.pubsub('CHANNELS', `${runPrefix}restore-*`)) as string[];
    expect(channels).toEqual([`${runPrefix}restore-a`]);
  });

  it('a failed restore is reported and retried on a fresh subscriber connection', async () => {
    const e = make();
    await e.connect();
    const got: number[] = [];
    await e.bus.subscribe('retry-restore', (_c, p) => got.push(p[0]!));
    const errors: Error[] = [];
    e.onError((err) => errors.push(err));
    // White box: make the next SUBSCRIBE (the restore after the kill) fail once.
    const sub = (e as unknown as { sub: Redis }).sub;
    vi.spyOn(sub, 'subscribe').mockRejectedValueOnce(new Error('injected'));

    await killConnection(e.connectionNames.subscriber);
    await vi.waitFor(() => expect(errors.some((x) => (x.cause as Error | undefined)?.message === 'injected')).toBe(true));
    expect(e.state).toBe('down');
    await vi.waitFor(() => expect(e.state).toBe('ready'), { timeout: 5_000 });
    await e.bus.publish('retry-restore', new Uint8Array([3]));
    await vi.waitFor(() => expect(got).toEqual([3]));
  });

  it('goes down and comes back when the command connection is killed; commands work again', async () => {
    const e = make();
    await e.connect();
    const states: EngineState[] = [];
    e.onState((s) => states.push(s));
    await killConnection(e.connectionNames.command);
    await vi.waitFor(() => expect(states).toEqual(['down', 'ready']), { timeout: 5_000 });
    await e.kv.set('after-kill', new Uint8Array([1]));
    expect(await e.kv.get('after-kill')).toEqual(Buffer.from([1]));
  });

  it('while Redis is unreachable: down, commands fail fast, then everything recovers', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    try {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      // `direct` publishes around the proxy; `viaProxy` is the engine that loses Redis.
      const direct = make();
      const viaProxy = new RedisEngine({ url: proxied.toString(), prefix: runPrefix });
      engines.push(viaProxy);
      await viaProxy.connect();
      const states: EngineState[] = [];
      viaProxy.onState((s) => states.push(s));
      const got: number[] = [];
      await viaProxy.bus.subscribe('outage', (_c, p) => got.push(p[0]!));

      await proxy.stop();
      await vi.waitFor(() => expect(viaProxy.state).toBe('down'));
      const started = Date.now();
      await expect(viaProxy.kv.get('outage')).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(3_000);
      await expect(viaProxy.probe(300)).rejects.toSatisfy(isEngineError);

      await proxy.start();
      await vi.waitFor(() => expect(viaProxy.state).toBe('ready'), { timeout: 10_000 });
      expect(states[0]).toBe('down');
      await direct.connect();
      await direct.bus.publish('outage', new Uint8Array([5]));
      await vi.waitFor(() => expect(got).toEqual([5]));
    } finally {
      await proxy.stop();
    }
  });

  it('connect() to a port where nothing listens rejects with ENGINE_UNAVAILABLE within the timeout', async () => {
    const port = await unusedPort();
    const e = new RedisEngine({ url: `redis://user:secret@127.0.0.1:${port}`, connectTimeoutMs: 400 });
    engines.push(e);
    const started = Date.now();
    const err = await e.connect().then(
      () => null,
      (x: unknown) => x,
    );
    const elapsed = Date.now() - started;
    expect(isEngineError(err, 'ENGINE_UNAVAILABLE')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).not.toContain('secret');
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2_000);
    // Start-up failure is terminal: no reconnect loop left behind.
    expect(e.state).toBe('closed');
    await expect(e.kv.get('x')).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('close() while waiting to reconnect rejects the commands queued meanwhile', async () => {
    const port = await unusedPort();
    const e = new RedisEngine({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 5_000 });
    engines.push(e);
    const connecting = e.connect().catch((err: unknown) => err);
    // First attempt refused at once; ioredis now waits ~50 ms before the next one.
    await new Promise((r) => setTimeout(r, 20));
    const get = e.kv.get('queued').catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 20));
    await e.close();
    expect(await get).toMatchObject({ code: 'ENGINE_CLOSED' });
    expect(await connecting).toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('reports connection errors to onError listeners', async () => {
    const port = await unusedPort();
    const e = new RedisEngine({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
    engines.push(e);
    const errors: Error[] = [];
    e.onError((err) => errors.push(err));
    await expect(e.connect()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    expect(errors.length).toBeGreaterThan(0);
  });
});

/** A loopback port nothing listens on (just handed out by the OS, then released). */
function unusedPort(): Promise<number> {
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
