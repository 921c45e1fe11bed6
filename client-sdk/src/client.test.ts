import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocusClientError } from './errors.js';
import { client, collect, MONACO, startGatewayProcess, token, uniqueUser, until, type GatewayProcess } from './testing/fixtures.js';
import type { LocusClient } from './client.js';

/** The SDK against a real gateway process (memory engine). */
describe('client SDK against a gateway process', () => {
  let g: GatewayProcess;
  const open: LocusClient[] = [];
  beforeAll(async () => {
    g = await startGatewayProcess({ LOCUS_SEED_OSM: '' });
  }, 30_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await g?.stop();
  });
  const sdk = async (user: string, extra = {}) => {
    const c = await client(g.url, user, extra);
    open.push(c);
    return c;
  };

  it('connects, befriends, and streams friend locations as typed events', async () => {
    const [an, bo] = [uniqueUser('ann'), uniqueUser('bob')];
    const a = await sdk(an, { batchIntervalMs: 0 });
    const b = await sdk(bo, { format: 'json', batchIntervalMs: 0 });
    expect(a.user).toBe(an);
    expect(a.connected).toBe(true);
    const bEvents = collect(b, 'friendEvent');
    expect(await a.addFriend(bo)).toBe('requested');
    await until(() => bEvents.some((e) => e.kind === 'requested' && e.user === an), 5000, 'friend request event');
    expect(await b.friends()).toEqual({ friends: [], incoming: [an], outgoing: [] });
    const aFriend = collect(a, 'friend');
    await b.acceptFriend(an);
    a.updateLocation(MONACO);
    b.updateLocation({ lat: MONACO.lat + 0.002, lng: MONACO.lng, acc: 5 });
    await Promise.all([a.flush(), b.flush()]);
    await until(() => aFriend.some((f) => f.user === bo), 5000, 'friend location');
    expect(aFriend.find((f) => f.user === bo)).toMatchObject({ lat: MONACO.lat + 0.002, acc: 5 });
    expect(aFriend[0]).not.toHaveProperty("t");
    const near = await a.nearby();
    expect(near.map((f) => f.user)).toEqual([bo]);
    expect(near[0]!.d).toBeGreaterThan(200);

    const gone = collect(a, 'friendGone');
    await b.removeFriend(an);
    await until(() => gone.length > 0, 5000, 'friend gone');
    expect(gone[0]).toEqual({ user: bo, reason: 'unfriended' });
  });

  it('answers requests with promises and failures with stable codes', async () => {
    const a = await sdk(uniqueUser('cy'));
    expect(await a.ping()).toBeGreaterThanOrEqual(0);
    const err = await a.acceptFriend('nobody-asked').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocusClientError);
    expect(err).toMatchObject({ code: 'NO_REQUEST', status: 404 });
    await expect(a.addFriend(a.user)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(a.settings({ radius: 5000 })).resolves.toEqual({ radius: 5000 });
    expect(a.radius).toBe(5000);
    expect(() => a.updateLocation({ lat: 91, lng: 0 })).toThrow(expect.objectContaining({ code: 'BAD_MESSAGE' }));
  });

  it('reports a refused fix as dropped (with the server code) and keeps going', async () => {
    const a = await sdk(uniqueUser('dee'), { batchIntervalMs: 0 });
    const dropped = collect(a, 'locationDropped');
    const errors = collect(a, 'error');
    a.updateLocation({ ...MONACO, ts: Date.now() + 3_600_000 }); // the server refuses fixes from the future
    const ok = a.updateLocation(MONACO);
    const acks = collect(a, 'locationAck');
    await a.flush();
    expect(dropped.map((d) => [d.reason, d.error?.code])).toEqual([['rejected', 'BAD_MESSAGE']]);
    expect(errors[0]?.code).toBe('BAD_MESSAGE');
    expect(acks.map((x) => x.seq)).toEqual([ok]);
  });

  it('batches location updates at the interval, in order, each acknowledged once', async () => {
    const a = await sdk(uniqueUser('eve'), { batchIntervalMs: 400 });
    const acks = collect(a, 'locationAck');
    const seqs = Array.from({ length: 12 }, (_, i) => a.updateLocation({ lat: MONACO.lat + i * 1e-4, lng: MONACO.lng, ts: Date.now() - 1000 + i }));
    expect(a.pendingUpdates).toBe(12);
    await new Promise((r) => setTimeout(r, 100));
    expect(acks.length).toBe(0); // still buffered: the batch leaves at the interval
    await until(() => acks.length === 12, 5000, 'acks');
    expect(acks.map((x) => x.seq)).toEqual(seqs);
    const h = await a.history(Date.now() - 60_000, Date.now() + 1000);
    expect(h.items.map((i) => i.lat)).toEqual(seqs.map((_, i) => MONACO.lat + i * 1e-4));
  });

  it('refreshes the token before it expires (getToken is asked again)', async () => {
    const user = uniqueUser('fay');
    let calls = 0;
    const a = await sdk(user, { getToken: () => (++calls === 1 ? token(user, 3) : token(user, 3600)) });
    const refreshed = await a.next('tokenRefreshed');
    expect(calls).toBe(2);
    expect(refreshed.exp).toBeGreaterThan(Date.now() + 3_000_000);
    await new Promise((r) => setTimeout(r, 3500)); // past the first token's expiry
    expect(a.connected).toBe(true);
    expect(await a.ping()).toBeGreaterThanOrEqual(0);
  });

  it('fails connect() with TIMEOUT when no gateway answers, and needs a WebSocket', async () => {
    const user = uniqueUser('gil');
    await expect(client('ws://127.0.0.1:1/v1/ws', user, { connectTimeoutMs: 500 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const { LocusClient } = await import('./client.js');
    expect(() => new LocusClient({ url: g.url, token: 'x' })).toThrow(expect.objectContaining({ code: 'NO_WEBSOCKET' }));
  });
});
