import { fileURLToPath } from 'node:url';
import type { ServerMessage } from '@locus/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNavigationWorld, type NavigationWorld } from '../testing/navigation-world.js';

const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const FROM = { lat: 43.7275, lng: 7.415 };
const TO = { lat: 43.748, lng: 7.435 };

/** A navigating user's messages, with a way to wait for the next of a kind. */
class Sink {
  readonly got: ServerMessage[] = [];
  send(msg: ServerMessage): void {
    this.got.push(msg);
  }
  async next(t: ServerMessage['t'], after: number): Promise<ServerMessage> {
    for (let i = 0; i < 200; i++) {
      const m = this.got.slice(after).find((x) => x.t === t);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${t} message`);
  }
}

describe('segment times under traffic events (a navigating car updated at the changed edges only)', () => {
  let world: NavigationWorld;
  beforeAll(async () => {
    // No faster-route switches: the ETAs are compared on the route each car has.
    world = await startNavigationWorld(MONACO, { LOCUS_NAV_FASTER_SEC: '86400', LOCUS_NAV_FASTER_PCT: '100' });
  }, 60_000);
  afterAll(() => world.stop());

  const slow = (edge: number, ttlMs: number) => ({ edges: Uint32Array.of(edge), speeds: Float32Array.of(8), expires: Float64Array.of(Date.now() + ttlMs) });

  it('counts a slowdown that expired since: the ETA after the next event is that of a car that started after it', async () => {
    const nav = world.navigation;
    const a = new Sink();
    nav.register('times-a', a);
    await nav.begin('times-a', { t: 'nav_start', id: 1, from: FROM, to: TO }, null);
    const edges = nav.sessionOf('times-a')!.track.edges;
    const x = edges[Math.floor(edges.length * 0.4)]!;
    const y = edges[Math.floor(edges.length * 0.7)]!;
    expect(x).not.toBe(y);

    // A slowdown on x for a moment: car a is told, then it expires with no event.
    let seen = a.got.length;
    nav.applyTraffic(slow(x, 600));
    const slowed = (await a.next('nav_eta', seen)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    await new Promise((r) => setTimeout(r, 700));

    // Car b takes the same route once x is free again.
    const b = new Sink();
    nav.register('times-b', b);
    await nav.begin('times-b', { t: 'nav_start', id: 1, from: FROM, to: TO }, null);
    expect(Array.from(nav.sessionOf('times-b')!.track.edges)).toEqual(Array.from(edges));

    // A slowdown on y: both cars get the same ETA (car a no longer counts the slowdown on x).
    seen = a.got.length;
    const seenB = b.got.length;
    nav.applyTraffic(slow(y, 60_000));
    const ea = (await a.next('nav_eta', seen)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    const eb = (await b.next('nav_eta', seenB)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    expect(ea.duration).toBe(eb.duration);
    expect(ea.duration).toBeLessThan(slowed.duration + 1000);

    // And with nothing expiring in between, a second slowdown adds to the first for both.
    seen = a.got.length;
    nav.applyTraffic(slow(x, 60_000));
    const both = (await a.next('nav_eta', seen)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    expect(both.duration).toBeGreaterThan(ea.duration);
    const bBoth = (await b.next('nav_eta', seenB + 1)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    expect(both.duration).toBe(bBoth.duration);
  }, 30_000);
});
