import { deleteKeysWithPrefix, TcpProxy, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocusClient } from './client.js';
import type { ConnectOptions } from './options.js';
import { client, collect, MONACO, startGatewayProcess, uniqueUser, until, type GatewayProcess } from './testing/fixtures.js';

/** Counts the location frames a client sends (resends included). */
function countingWebSocket(counter: { loc: number }): ConnectOptions['WebSocket'] {
  return class extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      counter.loc++;
      (super.send as (d: unknown, ...r: unknown[]) => void)(data, ...rest);
    }
  } as unknown as ConnectOptions['WebSocket'];
}

const fixAt = (i: number, t0: number) => ({ lat: MONACO.lat + i * 1e-5, lng: MONACO.lng, ts: t0 + i });

describe('reconnect mid-batch (connection cut through a TCP proxy)', () => {
  let g: GatewayProcess;
  let proxy: TcpProxy;
  const open: LocusClient[] = [];
  beforeAll(async () => {
    g = await startGatewayProcess({ LOCUS_SEED_OSM: '' });
    proxy = new TcpProxy('127.0.0.1', g.port);
    await proxy.start();
  }, 30_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await proxy?.stop();
    await g?.stop();
  });

  it('accepts every update exactly once, in order, and restores the strangers opt-in', async () => {
    const user = uniqueUser('rex');
    const sent = { loc: 0 };
    let tokens = 0;
    const a = await client(`ws://127.0.0.1:${proxy.port}/v1/ws`, user, {
      batchIntervalMs: 60_000,
      WebSocket: countingWebSocket(sent),
      getToken: () => {
        tokens++;
        return (async () => (await import('./testing/fixtures.js')).token(user))();
      },
    });
    open.push(a);
    const other = await client(g.url, uniqueUser('sam'), { batchIntervalMs: 0 });
    open.push(other);
    await a.strangers(true, 2000);
    await other.strangers(true, 2000);

    const reconnecting = collect(a, 'reconnecting');
    const reconnected = collect(a, 'reconnected');
    const acks = collect(a, 'locationAck');
    const t0 = Date.now() - 30_000;
    const seqs = Array.from({ length: 40 }, (_, i) => a.updateLocation(fixAt(i, t0)));
    const framesBefore = sent.loc;
    // Cut the connection as soon as the first acknowledgement arrives: the rest of the batch is in
    // flight (some processed with their ok lost, some never received).
    const cut = a.next('locationAck').then(() => proxy.stop());
    const flushed = a.flush(30_000);
    await cut;
    expect(acks.length).toBeLessThan(40);
    // While offline, more updates are buffered.
    for (let i = 40; i < 50; i++) seqs.push(a.updateLocation(fixAt(i, t0)));
    await until(() => reconnecting.length > 0, 5000, 'reconnecting');
    expect(a.connected).toBe(false);
    await proxy.start();
    await flushed;
    expect(reconnected.length).toBe(1);
    expect(tokens).toBeGreaterThanOrEqual(2); // re-authenticated with a fresh token
    expect(acks.map((x) => x.seq)).toEqual(seqs);
    expect(sent.loc - framesBefore).toBeGreaterThan(50); // some updates went out twice...
    const h = await a.history(Date.now() - 120_000, Date.now() + 1000, { limit: 1000 });
    // ...but each was applied exactly once, in order.
    expect(h.items.map((x) => x.ts)).toEqual(seqs.map((_, i) => t0 + i));

    // The strangers opt-in was restored on the new connection.
    const strangers = collect(a, 'stranger');
    await until(
      () => {
        other.updateLocation({ lat: MONACO.lat + 0.001, lng: MONACO.lng });
        return strangers.some((s) => s.user === other.user);
      },
      10_000,
      'stranger event after reconnect',
    );
  });
});

describe('drain: SIGTERM with another gateway listed', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('locus-sdk-drain');
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  const open: LocusClient[] = [];
  beforeAll(async () => {
    const env = { LOCUS_SEED_OSM: '', LOCUS_ENGINE: 'redis', LOCUS_REDIS_URL: url, LOCUS_REDIS_PREFIX: prefix, LOCUS_DRAIN_MS: '3000' };
    [g1, g2] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 40_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([g1?.stop(), g2?.stop()]);
    await deleteKeysWithPrefix(url, prefix);
  });

  it('moves to the other gateway, keeps friends live, and loses or repeats no update', async () => {
    const [an, bo] = [uniqueUser('ann'), uniqueUser('bob')];
    const a = await client([g1.url, g2.url], an, { batchIntervalMs: 0 });
    const b = await client(g2.url, bo, { batchIntervalMs: 0 });
    open.push(a, b);
    expect(a.server).not.toBe('');
    const firstServer = a.server;
    await a.addFriend(bo);
    await b.acceptFriend(an);
    b.updateLocation(MONACO); // a friend is heard only while both positions are known
    await b.flush();
    const bSees = collect(b, 'friend');
    const drained = a.next('drained');
    const draining = collect(a, 'draining');
    const t0 = Date.now() - 30_000;
    const seqs: number[] = [];
    let i = 0;
    const feeder = setInterval(() => seqs.push(a.updateLocation(fixAt(i++, t0))), 20);
    await new Promise((r) => setTimeout(r, 300));
    const exited = g1.stop();
    const moved = await drained;
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(feeder);
    await a.flush(20_000);
    expect(draining.length).toBe(1);
    expect(moved).toMatchObject({ from: g1.url, to: g2.url });
    expect(a.server).not.toBe(firstServer);
    expect(await exited).toBe(0);
    const h = await a.history(Date.now() - 120_000, Date.now() + 1000, { limit: 1000 });
    expect(h.items.map((x) => x.ts)).toEqual(seqs.map((_, k) => t0 + k));
    // Bob kept hearing Ann across the move.
    await until(() => bSees.some((f) => f.ts === t0 + i - 1), 5000, 'the last update at bob');
  });
});
