import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Presence } from './presence.js';
import { DEFAULT_PRESENCE_OPTIONS } from './presence-options.js';
import type { FriendState, PresenceSink } from './presence-sink.js';
import { TEST_WORLDS, type World } from './test-worlds.js';

/** Records each friend_loc a connection would send. */
class RecordingSink implements PresenceSink {
  readonly got: { user: string; ts: number; lat: number }[] = [];
  friendLocation(friend: FriendState): void {
    this.got.push({ user: friend.user, ts: friend.ts, lat: friend.lat });
  }
  friendGone(): void {}
  friendEvent(): void {}
  settingsChanged(): void {}
  fenceEvent(): void {}
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The local short cut (NearbyHub.publishLocal): a friend on the same gateway gets an update before
 * the engine's round trip, and exactly once when the engine brings it back; friends on another
 * gateway still get it through the engine.
 */
function localDeliverySuite(name: string, world: () => World): void {
  describe(`local delivery (${name})`, () => {
    let w: World;
    beforeEach(() => {
      w = world();
    });
    afterEach(() => w.close());

    async function gateway(now: () => number = Date.now): Promise<Presence> {
      return new Presence(await w.engine(), DEFAULT_PRESENCE_OPTIONS, undefined, now);
    }

    it('delivers to a friend on the same gateway before the engine write resolves, and once only', async () => {
      const gw = await gateway();
      await gw.graph.request('alice', 'bob');
      await gw.graph.accept('bob', 'alice');
      const bob = new RecordingSink();
      await gw.hub.attach('bob', bob);
      await gw.hub.attach('alice', new RecordingSink());
      await gw.acceptLocation('bob', { lat: 43.73, lng: 7.42, ts: Date.now() - 10 });

      const pending = gw.acceptLocation('alice', { lat: 43.731, lng: 7.421, ts: Date.now() });
      expect(bob.got).toHaveLength(1); // synchronously, before the engine answered
      await pending;
      await sleep(100); // the engine's echo arrives and is dropped
      expect(bob.got).toHaveLength(1);
    });

    it('two fixes accepted in the same millisecond both arrive, each once, locally and on another gateway', async () => {
      const fixed = Date.now();
      const clock = (): number => fixed; // every fix accepted at the same `at`
      const a = await gateway(clock);
      const b = await gateway(clock);
      await a.graph.request('alice', 'bob');
      await a.graph.accept('bob', 'alice');
      await a.graph.request('alice', 'carol');
      await a.graph.accept('carol', 'alice');
      const bob = new RecordingSink();
      const carol = new RecordingSink();
      await a.hub.attach('alice', new RecordingSink());
      await a.hub.attach('bob', bob);
      await b.hub.attach('carol', carol);
      await a.acceptLocation('bob', { lat: 43.73, lng: 7.42, ts: fixed - 20 });
      await b.acceptLocation('carol', { lat: 43.73, lng: 7.42, ts: fixed - 20 });

      await Promise.all([a.acceptLocation('alice', { lat: 43.7301, lng: 7.42, ts: fixed - 2 }), a.acceptLocation('alice', { lat: 43.7302, lng: 7.42, ts: fixed - 1 })]);
      await sleep(150);
      expect(bob.got.map((g) => g.ts)).toEqual([fixed - 2, fixed - 1]);
      expect(carol.got.map((g) => g.ts)).toEqual([fixed - 2, fixed - 1]);
    });
  });
}

/** A sink whose friend_loc throws: the turn's other updates must still go out. */
class ThrowingSink extends RecordingSink {
  override friendLocation(): void {
    throw new Error('sink failed');
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * What the gateway runs (HubDeps.deferFanOut): the fan-out waits for the end of the event-loop turn,
 * then goes out in order, each update once, the engine's echo still dropped.
 */
function deferredSuite(name: string, world: () => World): void {
  describe(`local delivery, fan-out once per turn (${name})`, () => {
    let w: World;
    beforeEach(() => {
      w = world();
    });
    afterEach(() => w.close());

    async function gateway(now: () => number = Date.now, failed: unknown[] = []): Promise<Presence> {
      const observer = { fannedOut() {}, badPayload() {}, fanOutFailed: (err: unknown) => failed.push(err) };
      return new Presence(await w.engine(), { ...DEFAULT_PRESENCE_OPTIONS, deferFanOut: true }, observer, now);
    }

    async function friends(gw: Presence, a: string, b: string): Promise<void> {
      await gw.graph.request(a, b);
      await gw.graph.accept(b, a);
    }

    /** alice and bob are friends, both connected, bob placed near where alice will move; bob's sink. */
    async function aliceAndBob(gw: Presence): Promise<RecordingSink> {
      await friends(gw, 'alice', 'bob');
      const bob = new RecordingSink();
      await gw.hub.attach('bob', bob);
      await gw.hub.attach('alice', new RecordingSink());
      await gw.acceptLocation('bob', { lat: 43.73, lng: 7.42, ts: Date.now() - 10 });
      return bob;
    }

    it('a friend on the same gateway gets the fix at the end of the turn, once; the echo is dropped', async () => {
      const gw = await gateway();
      const bob = await aliceAndBob(gw);

      const pending = gw.acceptLocation('alice', { lat: 43.731, lng: 7.421, ts: Date.now() });
      expect(bob.got).toHaveLength(0); // not inside the callback that accepted it
      await turn();
      expect(bob.got).toHaveLength(1);
      await pending;
      await sleep(100);
      expect(bob.got).toHaveLength(1);
    });

    it('fixes of one turn go out in order, each once, locally and on another gateway', async () => {
      const a = await gateway();
      const b = await gateway();
      await friends(a, 'alice', 'bob');
      await friends(a, 'alice', 'carol');
      const bob = new RecordingSink();
      const carol = new RecordingSink();
      await a.hub.attach('alice', new RecordingSink());
      await a.hub.attach('bob', bob);
      await b.hub.attach('carol', carol);
      const t = Date.now();
      await a.acceptLocation('bob', { lat: 43.73, lng: 7.42, ts: t - 50 });
      await b.acceptLocation('carol', { lat: 43.73, lng: 7.42, ts: t - 50 });

      await Promise.all([1, 2, 3, 4].map((i) => a.acceptLocation('alice', { lat: 43.73 + i / 10_000, lng: 7.42, ts: t - 10 + i })));
      await sleep(150);
      const expected = [1, 2, 3, 4].map((i) => t - 10 + i);
      expect(bob.got.map((g) => g.ts)).toEqual(expected);
      expect(carol.got.map((g) => g.ts)).toEqual(expected);
    });

    it('a friend who left before the turn ended gets nothing, and nothing fails', async () => {
      const failed: unknown[] = [];
      const gw = await gateway(Date.now, failed);
      const bob = await aliceAndBob(gw);

      const pending = gw.acceptLocation('alice', { lat: 43.731, lng: 7.421, ts: Date.now() });
      const left = gw.hub.detach('bob', bob);
      await Promise.all([pending, left]);
      await sleep(100);
      expect(bob.got).toHaveLength(0);
      expect(failed).toEqual([]);
    });

    it('a sink that throws is reported; the other updates of the turn still go out', async () => {
      const failed: unknown[] = [];
      const gw = await gateway(Date.now, failed);
      await friends(gw, 'alice', 'bob');
      await friends(gw, 'alice', 'dave');
      await friends(gw, 'erin', 'dave');
      const dave = new RecordingSink();
      await gw.hub.attach('bob', new ThrowingSink());
      await gw.hub.attach('dave', dave);
      await gw.hub.attach('alice', new RecordingSink());
      await gw.hub.attach('erin', new RecordingSink());
      const t = Date.now();
      await gw.acceptLocation('bob', { lat: 43.73, lng: 7.42, ts: t - 20 });
      await gw.acceptLocation('dave', { lat: 43.73, lng: 7.42, ts: t - 20 });
      await sleep(50);

      await Promise.all([
        gw.acceptLocation('alice', { lat: 43.731, lng: 7.421, ts: t - 5 }),
        gw.acceptLocation('erin', { lat: 43.732, lng: 7.422, ts: t - 5 }),
      ]);
      await sleep(100);
      // alice's fan-out stopped at bob's sink (as it would inside the callback); erin's was not lost.
      expect(dave.got.map((g) => g.user)).toContain('erin');
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect((failed[0] as Error).message).toBe('sink failed');
    });
  });
}

for (const [name, world] of TEST_WORLDS) {
  localDeliverySuite(name, world);
  deferredSuite(name, world);
}
