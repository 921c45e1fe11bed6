import { fileURLToPath } from 'node:url';
import type { ServerMessage } from '@locus/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNavigationWorld, type NavigationWorld } from '../testing/navigation-world.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));

describe("the timer's work (proactive checks, keep-alives) is queued behind traffic work", () => {
  let world: NavigationWorld;
  let clock = Date.now();
  beforeAll(async () => {
    // Proactive checks on every trip, every 10 s; keep-alives every 10 s (a third of the grace).
    world = await startNavigationWorld(MONACO, { LOCUS_NAV_PROACTIVE_SEC: '10', LOCUS_NAV_PROACTIVE_MIN_TRIP_SEC: '0', LOCUS_NAV_GRACE_SEC: '30' }, () => clock);
  }, 60_000);
  afterAll(() => world.stop());

  it('a tick with every session due returns at once; a closure that comes meanwhile is answered first', async () => {
    const nav = world.navigation;
    const got: { user: string; msg: ServerMessage }[] = [];
    const users = Array.from({ length: 40 }, (_, i) => `timer-${i}`);
    for (const [i, user] of users.entries()) {
      nav.register(user, { send: (msg) => got.push({ user, msg }) });
      await nav.begin(user, { t: 'nav_start', id: 1, from: { lat: 43.7275 + i * 1e-5, lng: 7.415 }, to: { lat: 43.748, lng: 7.435 } }, null);
    }
    while (nav.backlog > 0) await new Promise((r) => setTimeout(r, 10));
    const edges = nav.sessionOf(users[0]!)!.track.edges;

    clock += 11_000;
    nav.tick();
    // 40 proactive checks (a search each) and 40 record writes: queued, none done yet.
    expect(nav.backlog).toBe(80);
    const closed = edges[Math.floor(edges.length / 2)]!;
    nav.applyTraffic({ edges: Uint32Array.of(closed), speeds: Float32Array.of(0), expires: Float64Array.of(Date.now() + 3_600_000) });
    while (nav.backlog > 0) await new Promise((r) => setTimeout(r, 10));

    // Every car got its closure answer before any proactive route (the closure's own follow-up may say `faster`).
    const kinds = got.filter((g) => g.msg.t === 'nav_patch' || g.msg.t === 'nav_route' || g.msg.t === 'error').map((g) => ('reason' in g.msg ? g.msg.reason : g.msg.t));
    const firstProactive = kinds.indexOf('proactive');
    const lastClosure = kinds.lastIndexOf('closure');
    expect(lastClosure).toBeGreaterThanOrEqual(0);
    if (firstProactive >= 0) expect(firstProactive).toBeGreaterThan(lastClosure);
  }, 60_000);
});
