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

  it('a car already on the road that closes drives out of it: a new ETA, not a reroute or NO_ROUTE', async () => {
    const nav = world.navigation;
    const a = new Sink();
    nav.register('times-own', a);
    await nav.begin('times-own', { t: 'nav_start', id: 1, from: FROM, to: TO }, null);
    const track = nav.sessionOf('times-own')!.track;
    const edges = Array.from(track.edges);
    // A segment of some length a few hundred metres in, on an edge the route drives once.
    let k = 1;
    while (!(track.cumM[k]! > 100 && track.cumM[k + 1]! - track.cumM[k]! > 10 && edges.indexOf(edges[k]!) === edges.lastIndexOf(edges[k]!))) k++;
    expect(track.cumM[k]!).toBeLessThan(500);
    const lat = (track.lat[k]! + track.lat[k + 1]!) / 2;
    const lng = (track.lng[k]! + track.lng[k + 1]!) / 2;
    nav.onLocation('times-own', lat, lng, 5);
    expect(nav.sessionOf('times-own')!.match.segment).toBe(k);

    const seen = a.got.length;
    nav.applyTraffic({ edges: Uint32Array.of(edges[k]!), speeds: Float32Array.of(0), expires: Float64Array.of(Date.now() + 60_000) });
    const eta = (await a.next('nav_eta', seen)) as Extract<ServerMessage, { t: 'nav_eta' }>;
    expect(Number.isFinite(eta.duration)).toBe(true);
    expect(eta.duration).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    const after = a.got.slice(seen);
    expect(after.filter((m) => m.t === 'nav_route' || m.t === 'nav_patch' || m.t === 'error')).toEqual([]);
    expect(Array.from(nav.sessionOf('times-own')!.track.edges)).toEqual(edges);

    // A closure further ahead on the same route still reroutes the car.
    const ahead = edges[Math.floor(edges.length * 0.6)]!;
    const seen2 = a.got.length;
    nav.applyTraffic({ edges: Uint32Array.of(ahead), speeds: Float32Array.of(0), expires: Float64Array.of(Date.now() + 60_000) });
    const answer = await Promise.race([a.next('nav_route', seen2), a.next('nav_patch', seen2), a.next('error', seen2)]);
    expect(answer.t === 'error' ? answer.code : 'rerouted').toBeOneOf(['rerouted', 'NO_ROUTE']);
  }, 30_000);

});

describe("a closure of the destination's own road", () => {
  let world: NavigationWorld;
  beforeAll(async () => {
    world = await startNavigationWorld(MONACO);
  }, 60_000);
  afterAll(() => world.stop());

  it("a car whose destination's own road closes is sent to the nearest open road at once: a repair, not a search of its own", async () => {
    const nav = world.navigation;
    const a = new Sink();
    nav.register('times-dest', a);
    await nav.begin('times-dest', { t: 'nav_start', id: 1, from: FROM, to: TO }, null);
    const edges = Array.from(nav.sessionOf('times-dest')!.track.edges);
    const last = edges.at(-1)!;
    const repaired = nav.stats.repaired;
    const seen = a.got.length;
    nav.applyTraffic({ edges: Uint32Array.of(last), speeds: Float32Array.of(0), expires: Float64Array.of(Date.now() + 60_000) });
    const route = (await a.next('nav_route', seen)) as Extract<ServerMessage, { t: 'nav_route' }>;
    expect(route.reason).toBe('closure');
    expect(nav.stats.repaired).toBe(repaired + 1);
    const now = Array.from(nav.sessionOf('times-dest')!.track.edges);
    expect(now).not.toContain(last);
    // What a search from the car would do: end on the road nearest the destination that is open.
    const fresh = world.routing.service.route({ points: [FROM, TO] }).routes[0]!;
    expect(now.at(-1)).toBe(fresh.edges.at(-1));
    nav.applyTraffic({ edges: Uint32Array.of(last), speeds: Float32Array.of(Number.NaN), expires: Float64Array.of(Date.now() + 60_000) });
  }, 30_000);
});
