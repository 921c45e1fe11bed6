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

for (const [name, world] of TEST_WORLDS) localDeliverySuite(name, world);
