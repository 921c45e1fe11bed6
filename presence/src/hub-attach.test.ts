import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Presence } from './presence.js';
import { DEFAULT_PRESENCE_OPTIONS } from './presence-options.js';
import type { PresenceSink } from './presence-sink.js';
import { TEST_WORLDS, type World } from './test-worlds.js';

const silent: PresenceSink = {
  friendLocation() {},
  friendGone() {},
  friendEvent() {},
  settingsChanged() {},
  fenceEvent() {},
};

/**
 * The snapshot a connection gets on attach holds every friend within the radius, however many local
 * users attach at once. (A gateway that takes over the clients of a dead one attaches them together;
 * the second user of a friend whose watch the first had just created used to get a snapshot without
 * that friend, because the watch was shared before its cached position was read.)
 */
function attachSuite(name: string, world: () => World): void {
  describe(`hub attach (${name})`, () => {
    let w: World;
    beforeEach(() => {
      w = world();
    });
    afterEach(() => w.close());

    it('users attaching together each get every friend nearby in their snapshot', async () => {
      const gw = new Presence(await w.engine(), DEFAULT_PRESENCE_OPTIONS);
      const users = ['u0', 'u1', 'u2', 'u3'];
      const friends = ['f0', 'f1', 'f2'];
      for (const u of users) {
        for (const f of friends) {
          await gw.graph.request(u, f);
          await gw.graph.accept(f, u);
        }
      }
      const now = Date.now();
      for (const u of users) await gw.acceptLocation(u, { lat: 43.7384, lng: 7.4246, ts: now - 10 });
      for (const f of friends) await gw.acceptLocation(f, { lat: 43.7411, lng: 7.4296, ts: now - 10 });

      const snapshots = await Promise.all(users.map((u) => gw.hub.attach(u, silent)));
      for (const s of snapshots) expect(s.map((f) => f.user).sort()).toEqual(friends);
    });
  });
}

for (const [name, world] of TEST_WORLDS) attachSuite(name, world);
