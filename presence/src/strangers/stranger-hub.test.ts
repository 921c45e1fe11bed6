import { channels, MemoryEngine, type BusListener, type Engine } from '@locus/engine';
import ngeohash from 'ngeohash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrangerHub, type StrangerHubDeps } from './stranger-hub.js';
import { decodeStrangerMessage, encodeStrangerMessage, StrangerKind } from './stranger-payload.js';
import type { StrangerGoneReason, StrangerObserver, StrangerSink, StrangerState } from './stranger-sink.js';
import { northDeg } from './test-geometry.js';

class RecordingSink implements StrangerSink {
  readonly locs: { user: string; lat: number; lng: number; d: number }[] = [];
  readonly gones: { user: string; reason: StrangerGoneReason }[] = [];

  strangerLocation(s: StrangerState, d: number): void {
    this.locs.push({ user: s.user, lat: s.lat, lng: s.lng, d });
  }

  strangerGone(user: string, reason: StrangerGoneReason): void {
    this.gones.push({ user, reason });
  }

  seen(): string[] {
    return this.locs.map((l) => l.user);
  }

  clear(): void {
    this.locs.length = 0;
    this.gones.length = 0;
  }
}

/** Let the memory bus drain (it delivers in a microtask) and any follow-up promises settle. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

const PARIS = { lat: 48.8566, lng: 2.3522 };
const near = (m: number): { lat: number; lng: number } => ({ lat: PARIS.lat + northDeg(m), lng: PARIS.lng });
const LYON = { lat: 45.764, lng: 4.8357 };

let engine: MemoryEngine;
let clock: number;
const hubs: StrangerHub[] = [];

function newHub(extra: Partial<StrangerHubDeps> = {}, e: Engine = engine): StrangerHub {
  const hub = new StrangerHub({ engine: e, now: () => clock, ...extra });
  hubs.push(hub);
  return hub;
}

/** What the gateway does for a live fix: move, then publish. */
async function fix(hub: StrangerHub, user: string, p: { lat: number; lng: number }): Promise<void> {
  clock += 1_000;
  await hub.moved(user, p.lat, p.lng);
  await hub.publishFor(user, { lat: p.lat, lng: p.lng, ts: clock - 50, at: clock });
  await settle();
}

/** Records the kinds of message on a channel, as another gateway would see them. */
async function spy(channel: string): Promise<{ kinds: number[]; users: string[] }> {
  const seen = { kinds: [] as number[], users: [] as string[] };
  const listener: BusListener = (_c, payload) => {
    const m = decodeStrangerMessage(payload);
    if (m) {
      seen.kinds.push(m.kind);
      seen.users.push(m.user);
    }
  };
  await engine.bus.subscribe(channel, listener);
  return seen;
}

beforeEach(async () => {
  engine = new MemoryEngine();
  await engine.connect();
  clock = 1_700_000_000_000;
});

afterEach(async () => {
  for (const h of hubs.splice(0)) h.stop();
  await engine.close();
});

describe.each([
  ['one gateway', 1],
  ['two gateways sharing an engine', 2],
])('StrangerHub, %s', (_name, gateways) => {
  let hubA: StrangerHub;
  let hubB: StrangerHub;
  beforeEach(() => {
    hubA = newHub();
    hubB = gateways === 1 ? hubA : newHub();
  });

  it('two opted-in users near each other see each other, with the distance', async () => {
    const alice = new RecordingSink();
    const bob = new RecordingSink();
    await hubA.optIn('alice', alice, 2_000);
    await hubB.optIn('bob', bob, 2_000);
    await fix(hubA, 'alice', PARIS);
    await fix(hubB, 'bob', near(500));
    await fix(hubA, 'alice', PARIS);
    expect(alice.seen()).toEqual(['bob']);
    expect(bob.seen()).toEqual(['alice']);
    expect(bob.locs[0]!.d).toBeCloseTo(500, 0);
    // Nobody hears themselves.
    expect(alice.seen()).not.toContain('alice');
  });

  it('a user in other cells neither sees nor is seen', async () => {
    const alice = new RecordingSink();
    const far = new RecordingSink();
    await hubA.optIn('alice', alice, 5_000);
    await hubB.optIn('far', far, 5_000);
    await fix(hubA, 'alice', PARIS);
    await fix(hubB, 'far', LYON);
    await fix(hubA, 'alice', PARIS);
    await fix(hubB, 'far', LYON);
    expect(alice.locs).toEqual([]);
    expect(far.locs).toEqual([]);
    const shared = hubA.cellsOf('alice').filter((c) => hubB.cellsOf('far').includes(c));
    expect(shared).toEqual([]);
  });

  it('a stranger in a listened cell but outside the radius is not delivered', async () => {
    const alice = new RecordingSink();
    // Both in the same cell (its south and north ends), 4 km apart; alice looks 1 km around.
    const [s, w, n, e] = ngeohash.decode_bbox(ngeohash.encode(PARIS.lat, PARIS.lng, 5));
    const lng = (w + e) / 2;
    await hubA.optIn('alice', alice, 1_000);
    await hubB.optIn('bob', new RecordingSink(), 1_000);
    await fix(hubA, 'alice', { lat: s + 0.001, lng });
    await fix(hubB, 'bob', { lat: n - 0.001, lng });
    expect(hubB.publishTarget('bob')).toBe(hubA.publishTarget('alice'));
    expect(alice.locs).toEqual([]);
  });

  it('opting out stops both directions at once, even for an update already queued', async () => {
    const alice = new RecordingSink();
    const bob = new RecordingSink();
    await hubA.optIn('alice', alice, 2_000);
    await hubB.optIn('bob', bob, 2_000);
    await fix(hubA, 'alice', PARIS);
    await fix(hubB, 'bob', near(300));
    await fix(hubA, 'alice', PARIS);
    expect(bob.seen()).toEqual(['alice']);
    const aliceCell = hubA.publishTarget('alice')!;
    const onAliceCell = await spy(aliceCell);
    alice.clear();

    // Bob's update is published (queued on the bus) before alice opts out: it must still not reach her.
    const queued = hubB.publishFor('bob', { ...near(300), ts: clock, at: clock });
    const out = hubA.optOut('alice');
    expect(hubA.publishTarget('alice')).toBeNull();
    expect(hubA.isOptedIn('alice')).toBe(false);
    await hubA.moved('alice', PARIS.lat, PARIS.lng);
    await hubA.publishFor('alice', { ...PARIS, ts: clock, at: clock });
    await Promise.all([queued, out]);
    await settle();
    await fix(hubB, 'bob', near(300));

    expect(alice.locs).toEqual([]);
    expect(alice.gones).toEqual([]);
    // Alice's cell carried only her "gone" after the opt-out, no location.
    expect(onAliceCell.kinds.filter((_, i) => onAliceCell.users[i] === 'alice')).toEqual([StrangerKind.Gone]);
    // Bob dropped her at once, not after the silence.
    expect(bob.gones).toEqual([{ user: 'alice', reason: 'left' }]);
    expect(hubA.cellsOf('alice')).toEqual([]);
  });

  it('a user who never opted in never appears and never receives', async () => {
    const alice = new RecordingSink();
    await hubA.optIn('alice', alice, 2_000);
    await fix(hubA, 'alice', PARIS);
    const cell = hubA.publishTarget('alice')!;
    const onCell = await spy(cell);
    await fix(hubB, 'carol', near(100)); // the gateway calls these for every user; carol is not opted in
    await fix(hubA, 'alice', PARIS);
    expect(hubB.publishTarget('carol')).toBeNull();
    expect(hubB.cellsOf('carol')).toEqual([]);
    expect(onCell.users).toEqual(['alice']);
    expect(alice.locs).toEqual([]);
  });

  it('moving across cells moves the subscriptions and the deliveries', async () => {
    const alice = new RecordingSink();
    const paris = new RecordingSink();
    const lyon = new RecordingSink();
    await hubA.optIn('alice', alice, 2_000);
    await hubB.optIn('paris', paris, 2_000);
    await hubB.optIn('lyon', lyon, 2_000);
    await fix(hubB, 'paris', near(800));
    await fix(hubB, 'lyon', LYON);
    await fix(hubA, 'alice', PARIS);
    expect(paris.seen()).toEqual(['alice']);
    const parisCells = hubA.cellsOf('alice');

    await fix(hubA, 'alice', { lat: LYON.lat + northDeg(600), lng: LYON.lng });
    const lyonCells = hubA.cellsOf('alice');
    expect(lyonCells.filter((c) => parisCells.includes(c))).toEqual([]);
    expect(lyon.seen()).toEqual(['alice']);
    // The Paris user is told at once (the "left" on alice's old cell), not after the silence.
    expect(paris.gones).toEqual([{ user: 'alice', reason: 'out_of_range' }]);
    await fix(hubB, 'paris', near(800));
    await fix(hubB, 'lyon', LYON);
    expect(alice.seen()).toEqual(['lyon']);
  });

  it('garbage on a stranger channel is ignored, and later updates still flow', async () => {
    const bad: string[] = [];
    const observer: StrangerObserver = { delivered: () => {}, badPayload: (c) => bad.push(c) };
    const hub = newHub({ observer });
    const alice = new RecordingSink();
    await hub.optIn('alice', alice, 2_000);
    await hubB.optIn('bob', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    const cell = hub.publishTarget('alice')!;
    for (const junk of [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(40).fill(0xff), new TextEncoder().encode('{"u":"x"}')]) {
      await engine.bus.publish(cell, junk);
    }
    await engine.bus.publish(cell, encodeStrangerMessage(StrangerKind.Location, 'bad{id}', PARIS.lat, PARIS.lng, 1, clock));
    await settle();
    expect(bad.length).toBe(5);
    expect(alice.locs).toEqual([]);
    await fix(hubB, 'bob', near(200));
    expect(alice.seen()).toEqual(['bob']);
  });
});

describe('StrangerHub', () => {
  it('holds one subscription per cell for all its users, and releases them with the last user', async () => {
    const hub = newHub();
    const before = engine.bus.channelCount;
    await hub.optIn('alice', new RecordingSink(), 2_000);
    await hub.optIn('bob', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    const aliceCells = hub.cellsOf('alice');
    expect(engine.bus.channelCount - before).toBe(aliceCells.length);
    await fix(hub, 'bob', near(10));
    const union = new Set([...aliceCells, ...hub.cellsOf('bob')]);
    expect(hub.cellCount).toBe(union.size);
    expect(engine.bus.channelCount - before).toBe(union.size);
    await hub.optOut('alice');
    expect(engine.bus.channelCount - before).toBe(hub.cellsOf('bob').length);
    await hub.optOut('bob');
    expect(engine.bus.channelCount).toBe(before);
    expect(hub.cellCount).toBe(0);
  });

  it('two gateways share the engine subscription of a cell they both need', async () => {
    const a = newHub();
    const b = newHub();
    await a.optIn('alice', new RecordingSink(), 2_000);
    await b.optIn('bob', new RecordingSink(), 2_000);
    await fix(a, 'alice', PARIS);
    await fix(b, 'bob', PARIS);
    expect(a.cellsOf('alice').sort()).toEqual(b.cellsOf('bob').sort());
    expect(engine.bus.channelCount).toBe(a.cellCount);
    await a.optOut('alice');
    expect(engine.bus.channelCount).toBe(b.cellCount);
  });

  it('unsubscribes the old cells only once the new ones are subscribed', async () => {
    const calls: string[] = [];
    const bus = engine.bus;
    // A bus whose subscriptions take a while to become active, like a networked one.
    const slow: Engine = Object.create(engine) as Engine;
    Object.defineProperty(slow, 'bus', {
      value: {
        publish: (c: string, p: Uint8Array) => bus.publish(c, p),
        subscribe: async (c: string, l: BusListener) => {
          await bus.subscribe(c, l);
          await new Promise((r) => setTimeout(r, 5));
          calls.push('subscribed');
        },
        unsubscribe: (c: string, l: BusListener) => {
          calls.push('unsubscribe');
          return bus.unsubscribe(c, l);
        },
        get channelCount() {
          return bus.channelCount;
        },
      },
    });
    const hub = newHub({}, slow);
    await hub.optIn('alice', new RecordingSink(), 5_000);
    await fix(hub, 'alice', PARIS);
    calls.length = 0;
    await fix(hub, 'alice', near(6_000));
    expect(calls).toContain('subscribed');
    expect(calls).toContain('unsubscribe');
    expect(calls.indexOf('unsubscribe')).toBeGreaterThan(calls.lastIndexOf('subscribed'));
  });

  it('a receiver whose gateway does not listen to the stranger\'s new cell drops it at once', async () => {
    const a = newHub();
    const b = newHub();
    const bob = new RecordingSink();
    await a.optIn('alice', new RecordingSink(), 2_000);
    await b.optIn('bob', bob, 2_000);
    await fix(b, 'bob', near(500));
    await fix(a, 'alice', PARIS);
    expect(bob.seen()).toEqual(['alice']);
    await fix(a, 'alice', LYON);
    expect(b.cellsOf('bob')).not.toContain(a.publishTarget('alice'));
    expect(bob.gones).toEqual([{ user: 'alice', reason: 'out_of_range' }]);
  });

  it('reports a stranger gone when the receiver moves away, and after the silence', async () => {
    const hub = newHub();
    const alice = new RecordingSink();
    await hub.optIn('alice', alice, 2_000);
    await hub.optIn('bob', new RecordingSink(), 2_000);
    await hub.optIn('carol', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    await fix(hub, 'bob', near(500));
    await fix(hub, 'carol', near(-500));
    expect(alice.seen().sort()).toEqual(['bob', 'carol']);

    await fix(hub, 'alice', near(1_800)); // bob 1.3 km away, carol 2.3 km
    expect(alice.gones).toEqual([{ user: 'carol', reason: 'out_of_range' }]);

    hub.tick(clock + 55_000); // bob was last heard 2 s before the current clock
    expect(alice.gones.length).toBe(1);
    hub.tick(clock + 61_000);
    expect(alice.gones).toEqual([
      { user: 'carol', reason: 'out_of_range' },
      { user: 'bob', reason: 'expired' },
    ]);
  });

  it('a second connection of an opted-in user is sent the strangers shown now; the last one to close opts out', async () => {
    const hub = newHub();
    const first = new RecordingSink();
    const second = new RecordingSink();
    await hub.optIn('alice', first, 2_000);
    await hub.optIn('bob', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    await fix(hub, 'bob', near(400));
    await hub.optIn('alice', second, 2_000);
    expect(second.seen()).toEqual(['bob']);
    await hub.detach('alice', first);
    expect(hub.isOptedIn('alice')).toBe(true);
    await hub.detach('alice', second);
    expect(hub.isOptedIn('alice')).toBe(false);
  });

  it('a smaller radius drops strangers outside it; radius is clamped to the maximum', async () => {
    const hub = newHub();
    const alice = new RecordingSink();
    await hub.optIn('alice', alice, 2_000);
    await hub.optIn('bob', new RecordingSink(), 2_000);
    await fix(hub, 'alice', PARIS);
    await fix(hub, 'bob', near(1_500));
    expect(alice.seen()).toEqual(['bob']);
    expect(await hub.optIn('alice', alice, 1_000)).toBe(1_000);
    expect(alice.gones).toEqual([{ user: 'bob', reason: 'out_of_range' }]);
    expect(await hub.optIn('alice', alice, 1e9)).toBe(hub.options.maxRadiusM);
    expect(hub.coveredRadius('alice')).toBe(hub.options.maxRadiusM);
  });

  it('rejects ids that are not user ids and options it cannot work with', () => {
    const hub = newHub();
    expect(() => hub.optIn('bad{id}', new RecordingSink())).toThrow(RangeError);
    expect(() => newHub({ options: { precision: 11 } })).toThrow(RangeError);
    expect(() => newHub({ options: { maxCells: 2 } })).toThrow(RangeError);
  });

  it('uses the documented channel name', async () => {
    const hub = newHub();
    await hub.optIn('alice', new RecordingSink());
    await hub.moved('alice', 57.64911, 10.40744);
    expect(hub.publishTarget('alice')).toBe(channels.strangers('u4pru'));
  });
});
