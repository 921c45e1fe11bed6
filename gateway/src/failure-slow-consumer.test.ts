import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { befriend, connectUser, MONACO, move, NEAR, uniqueUser } from './testing/presence-scenarios.js';
import type { TestClient } from './testing/test-client.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? 0 : Number(m[1]) * 1024;
}

async function metric(g: GatewayProcess, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${g.http}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

/**
 * Failure test 5: one consumer stops reading while 30 friends stream updates to it and to a healthy
 * observer (every update fanned out to both). The gateway holds at most the newest update per friend
 * for the slow one, cuts it off with 4008 (SLOW_CONSUMER, docs/protocol.md), keeps its own memory
 * bounded, and the observer gets every friend's latest position throughout.
 */
describe('failure: a slow consumer under heavy fan-out', () => {
  let g: GatewayProcess;
  beforeAll(async () => {
    g = await startGatewayProcess({
      LOCUS_SEED_OSM: '',
      LOCUS_RATE_PER_SEC: '100000',
      LOCUS_RATE_BURST: '100000',
      LOCUS_BACKPRESSURE_SOFT_BYTES: '16384',
      LOCUS_BACKPRESSURE_HARD_BYTES: '8388608',
      LOCUS_SLOW_CONSUMER_MS: '1000',
    });
  }, 30_000);
  afterAll(async () => {
    await g?.stop();
  });

  it('memory stays bounded, the slow consumer is closed with 4008, the observer is unaffected', async () => {
    const side = { url: g.url, token };
    const [slowId, observerId] = [uniqueUser('slow'), uniqueUser('observer')];
    const slow = await connectUser(side, slowId);
    const observer = await connectUser(side, observerId);
    const friendIds = Array.from({ length: 30 }, (_, i) => uniqueUser(`f${i}`));
    const friends: TestClient[] = [];
    for (const id of friendIds) {
      const c = await connectUser(side, id);
      await befriend(slow, slowId, c, id);
      await befriend(observer, observerId, c, id);
      friends.push(c);
    }
    await move(slow, MONACO);
    await move(observer, MONACO);
    // A long history makes each history reply big: the quick way to fill the socket's buffers.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => move(slow, { lat: MONACO.lat + i * 1e-6, lng: MONACO.lng })));

    const baseline = rssBytes(g.child.pid!);
    let peak = baseline;
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    let updates = 0;
    let round = 0;
    const last = new Map<string, number>();
    const deadline = Date.now() + 20_000;
    while ((await metric(g, /locus_closes_total\{code="4008"\} (\d+)/)) < 1) {
      if (Date.now() > deadline) throw new Error('the slow consumer was not cut off within 20 s');
      round++;
      if (round <= 40) for (let j = 0; j < 5; j++) slow.send({ t: 'history', from: 0, to: Date.now() + 1000, limit: 1000 });
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < friends.length; i++) {
        const lat = NEAR.lat + (round % 500) * 1e-6 + i * 1e-7;
        last.set(friendIds[i]!, lat);
        sends.push(move(friends[i]!, { lat, lng: NEAR.lng }));
      }
      await Promise.all(sends);
      updates += friends.length;
      peak = Math.max(peak, rssBytes(g.child.pid!));
      await sleep(10);
    }
    const stale = await metric(g, /locus_dropped_updates_total\{reason="stale"\} (\d+)/);
    console.log(
      `[failure-slow-consumer] ${updates} updates × 2 recipients; ${stale} superseded updates dropped for the slow consumer; ` +
        `gateway RSS ${(baseline / 2 ** 20).toFixed(0)} MiB before, peak ${(peak / 2 ** 20).toFixed(0)} MiB`,
    );
    // Held back only while it was slow: some of its updates were superseded, never queued without bound.
    expect(stale).toBeGreaterThan(0);
    expect(peak - baseline).toBeLessThan(64 * 2 ** 20);
    // The observer got every friend's latest position, and everyone else is still connected and served.
    for (const id of friendIds) {
      await observer.next('friend_loc', (m) => m.user === id && m.lat === last.get(id), 5_000);
    }
    expect(await observer.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
    for (const f of friends) expect(await f.request({ t: 'ping' })).toMatchObject({ t: 'pong' });
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(4008);
    observer.close();
    for (const f of friends) f.close();
  }, 60_000);
});
