import { afterEach, describe, expect, it } from 'vitest';
import { connect, type LocusClient } from './client.js';
import type { ConnectOptions } from './options.js';
import { collect, until } from './testing/fixtures.js';
import { FakeGateway, type Msg } from './testing/fake-gateway.js';

/** Buffering edge cases against a scripted gateway (what a healthy real gateway never does). */
describe('location buffering (scripted gateway)', () => {
  let c: LocusClient | undefined;
  afterEach(() => c?.close());
  const start = (gw: FakeGateway, extra: Partial<ConnectOptions> = {}) =>
    connect({ url: 'ws://fake/v1/ws', token: 't', WebSocket: gw.WebSocket, format: 'json', batchIntervalMs: 0, backoff: { initialDelayMs: 10, maxDelayMs: 20 }, ...extra });

  it('sends an unacknowledged update again after the ack timeout, and stops at the first ok', async () => {
    const gw = new FakeGateway();
    let silent = 1;
    gw.onMessage = (s, m: Msg) => {
      if (m.t !== 'loc') return;
      if (silent-- > 0) return; // the first frame is lost (like a frame refused by the rate limit)
      s.push({ t: 'ok', of: 'loc', seq: m.seq });
    };
    c = await start(gw, { ackTimeoutMs: 200 });
    const seq = c.updateLocation({ lat: 1, lng: 1 });
    await c.flush(5000);
    expect(gw.of('loc').map((m) => m.seq)).toEqual([seq, seq]);
    expect(gw.of('loc')[0]!.id).toBe(seq); // errors can name the update they refuse
  });

  it('retries an update the gateway could not store (engine error), drops one it refuses', async () => {
    const gw = new FakeGateway();
    let engineDown = true;
    gw.onMessage = (s, m: Msg) => {
      if (m.t !== 'loc') return;
      if (m.lat === 90) s.push({ t: 'error', id: m.id, code: 'BAD_MESSAGE', message: 'ts is in the future' });
      else if (engineDown) {
        engineDown = false;
        s.push({ t: 'error', id: m.id, code: 'ENGINE_UNAVAILABLE', message: 'down' });
      } else s.push({ t: 'ok', of: 'loc', seq: m.seq });
    };
    c = await start(gw);
    const dropped = collect(c, 'locationDropped');
    const acks = collect(c, 'locationAck');
    const a = c.updateLocation({ lat: 1, lng: 1 });
    const b = c.updateLocation({ lat: 90, lng: 1 });
    await c.flush(5000);
    expect(acks.map((x) => x.seq)).toEqual([a]);
    expect(dropped.map((d) => [d.fix.seq, d.reason, d.error?.code])).toEqual([[b, 'rejected', 'BAD_MESSAGE']]);
  });

  it('bounds the offline buffer: the oldest updates go first, the rest are sent in order on connect', async () => {
    const gw = new FakeGateway();
    c = await start(gw, { maxBufferedUpdates: 3 });
    const dropped = collect(c, 'locationDropped');
    const back = c.next('reconnected');
    gw.onOpen = () => undefined;
    // Offline: every connection attempt fails until `online`.
    let online = false;
    const open = gw.opened.bind(gw);
    gw.opened = (s) => (online ? open(s) : s.close(1006));
    gw.drop();
    await until(() => !c!.connected, 1000, 'offline');
    const seqs = [1, 2, 3, 4, 5].map((i) => c!.updateLocation({ lat: i, lng: 0 }));
    expect(dropped.map((d) => [d.fix.seq, d.reason])).toEqual([
      [seqs[0], 'overflow'],
      [seqs[1], 'overflow'],
    ]);
    online = true;
    await back;
    await c.flush(5000);
    expect(gw.of('loc').map((m) => m.seq)).toEqual(seqs.slice(2));
  });
});
