import { RedisEngine } from '@locus/engine';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrangerHub } from './stranger-hub.js';
import type { StrangerGoneReason, StrangerSink, StrangerState } from './stranger-sink.js';
import { northDeg } from './test-geometry.js';

class RecordingSink implements StrangerSink {
  readonly seen: string[] = [];
  readonly gones: { user: string; reason: StrangerGoneReason }[] = [];
  strangerLocation(s: StrangerState): void {
    this.seen.push(s.user);
  }
  strangerGone(user: string, reason: StrangerGoneReason): void {
    this.gones.push({ user, reason });
  }
}

async function until(cond: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for a delivery');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const PARIS = { lat: 48.8566, lng: 2.3522 };
const near = (m: number): { lat: number; lng: number } => ({ lat: PARIS.lat + northDeg(m), lng: PARIS.lng });
const LYON = { lat: 45.764, lng: 4.8357 };

async function fix(hub: StrangerHub, user: string, p: { lat: number; lng: number }): Promise<void> {
  const now = Date.now();
  await hub.moved(user, p.lat, p.lng);
  await hub.publishFor(user, { lat: p.lat, lng: p.lng, ts: now, at: now });
}

/** Two gateways as two processes would be: one Redis, two engines (connections), one hub each. */
describe('StrangerHub on Redis, two gateways', () => {
  let prefix: string;
  let engines: RedisEngine[];
  let a: StrangerHub;
  let b: StrangerHub;

  beforeEach(async () => {
    prefix = uniquePrefix('locus-test-strangers');
    engines = [new RedisEngine({ url: testRedisUrl(), prefix }), new RedisEngine({ url: testRedisUrl(), prefix })];
    await Promise.all(engines.map((e) => e.connect()));
    a = new StrangerHub({ engine: engines[0]! });
    b = new StrangerHub({ engine: engines[1]! });
  });

  afterEach(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await deleteKeysWithPrefix(testRedisUrl(), prefix);
  });

  it('near users see each other; opting out stops both directions; moving away is reported at once', async () => {
    const alice = new RecordingSink();
    const witness = new RecordingSink(); // on alice's gateway: proves bob's later update arrived there
    const bob = new RecordingSink();
    await a.optIn('alice', alice, 2_000);
    await a.optIn('witness', witness, 2_000);
    await b.optIn('bob', bob, 2_000);
    await fix(a, 'alice', PARIS);
    await fix(a, 'witness', near(-300));
    await fix(b, 'bob', near(500));
    await until(() => alice.seen.includes('bob'));
    await fix(a, 'alice', PARIS);
    await until(() => bob.seen.includes('alice'));

    await a.optOut('alice');
    await a.publishFor('alice', { ...PARIS, ts: Date.now(), at: Date.now() });
    await until(() => bob.gones.some((g) => g.user === 'alice' && g.reason === 'left'));
    const aliceSeen = alice.seen.length;
    const witnessSeen = witness.seen.filter((u) => u === 'bob').length;
    await fix(b, 'bob', near(500));
    await until(() => witness.seen.filter((u) => u === 'bob').length > witnessSeen);
    expect(alice.seen.length).toBe(aliceSeen);
    expect(bob.seen.filter((u) => u === 'alice').length).toBe(1);

    await fix(a, 'witness', near(-300));
    await until(() => bob.seen.includes('witness'));
    await fix(a, 'witness', LYON);
    await until(() => bob.gones.some((g) => g.user === 'witness'));
    expect(bob.gones).toContainEqual({ user: 'witness', reason: 'out_of_range' });
  });

  it('garbage on a stranger channel is ignored', async () => {
    const alice = new RecordingSink();
    const bad: string[] = [];
    const hub = new StrangerHub({ engine: engines[0]!, observer: { delivered: () => {}, badPayload: (c) => bad.push(c) } });
    await hub.optIn('alice', alice, 2_000);
    await b.optIn('bob', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    await engines[1]!.bus.publish(hub.publishTarget('alice')!, new Uint8Array([1, 2, 3]));
    await fix(b, 'bob', near(100));
    await until(() => alice.seen.includes('bob'));
    expect(bad.length).toBe(1);
  });
});
