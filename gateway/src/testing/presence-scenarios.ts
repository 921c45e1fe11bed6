import { expect, it } from 'vitest';
import { TestClient } from './test-client.js';

/** Monaco, and points at known distances from it. */
export const MONACO = { lat: 43.7384, lng: 7.4246 };
export const NICE = { lat: 43.7102, lng: 7.262 }; // ~13.4 km from Monaco: outside the default 8 km
export const NEAR = { lat: 43.7411, lng: 7.4296 }; // ~500 m

export interface Side {
  /** WebSocket URL of the gateway a user connects to. */
  url: string;
  token(user: string, ttlSec?: number): string;
}

let n = 0;
export const uniqueUser = (name: string): string => `${name}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 6)}`;

export async function connectUser(side: Side, user: string): Promise<TestClient> {
  const c = await TestClient.connect(side.url, { token: side.token(user) });
  await c.next('nearby');
  return c;
}

export async function befriend(a: TestClient, aUser: string, b: TestClient, bUser: string): Promise<void> {
  expect(await a.request({ t: 'friend_request', user: bUser })).toMatchObject({ t: 'ok', status: 'requested' });
  await b.next('friend_event', (e) => e.kind === 'requested' && e.user === aUser);
  expect(await b.request({ t: 'friend_accept', user: aUser })).toMatchObject({ t: 'ok' });
  await a.next('friend_event', (e) => e.kind === 'accepted' && e.user === bUser);
}

export function move(c: TestClient, p: { lat: number; lng: number }, extra: Record<string, unknown> = {}): Promise<unknown> {
  return c.request({ t: 'loc', lat: p.lat, lng: p.lng, ts: Date.now(), ...extra });
}

/** A pause long enough that a message that was going to arrive would have. */
export const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Nearby-friends behaviour, run against any pair of gateways (the same one twice, or two gateways
 * sharing an engine): `sides[0]` hosts the first user, `sides[1]` the second.
 */
export function presenceScenarios(sides: () => [Side, Side]): void {
  it('delivers a friend update within the radius, with distance and time', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    const ts = Date.now();
    await move(cb, NEAR, { ts });
    const got = await ca.next('friend_loc', (m) => m.user === b);
    expect(got).toMatchObject({ user: b, lat: NEAR.lat, lng: NEAR.lng, ts });
    expect(got.d).toBeGreaterThan(400);
    expect(got.d).toBeLessThan(600);
    ca.close();
    cb.close();
  });

  it('does not deliver a friend outside the radius, and says gone when they leave it', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    await move(cb, NICE);
    await settle();
    expect(ca.all('friend_loc').filter((m) => m.user === b)).toEqual([]);
    await move(cb, NEAR);
    await ca.next('friend_loc', (m) => m.user === b);
    await move(cb, NICE);
    expect(await ca.next('friend_gone', (m) => m.user === b)).toMatchObject({ reason: 'out_of_range' });
    ca.close();
    cb.close();
  });

  it('a burst of updates arrives whole and in order, and the friend_gone after it comes last', async () => {
    // Friend updates and other messages take different paths out of the gateway (a socket's own
    // uWS topic, drained at the end of the loop's turn, and direct sends): their order must hold.
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    const t0 = Date.now() - 1000;
    const burst = 30; // within the default rate-limit burst (40) with the leaving fix
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < burst; i++) sent.push(cb.request({ t: 'loc', lat: NEAR.lat + i * 1e-5, lng: NEAR.lng, ts: t0 + i }));
    sent.push(cb.request({ t: 'loc', lat: NICE.lat, lng: NICE.lng, ts: t0 + burst }));
    expect((await Promise.all(sent)).every((r) => (r as { t: string }).t === 'ok')).toBe(true);
    await ca.next('friend_gone', (m) => m.user === b);
    await settle(100);
    const seen = ca.messages.flatMap((m) => ((m.t === 'friend_loc' || m.t === 'friend_gone') && m.user === b ? [m.t === 'friend_loc' ? m.ts : 'gone'] : []));
    expect(seen).toEqual([...Array.from({ length: burst }, (_, i) => t0 + i), 'gone']);
    ca.close();
    cb.close();
  });

  it('never delivers the location of someone who is not a friend', async () => {
    const [s1, s2] = sides();
    const [a, b, stranger] = [uniqueUser('alice'), uniqueUser('bob'), uniqueUser('mallory')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    const cs = await connectUser(s2, stranger);
    await befriend(ca, a, cb, b);
    // A pending, unanswered request is not friendship either.
    expect(await cs.request({ t: 'friend_request', user: a })).toMatchObject({ status: 'requested' });
    await move(ca, MONACO);
    await move(cs, MONACO);
    await move(cb, NEAR);
    await ca.next('friend_loc', (m) => m.user === b);
    await move(ca, NEAR);
    await settle();
    expect(ca.messages.some((m) => (m as { user?: string }).user === stranger && m.t === 'friend_loc')).toBe(false);
    expect(cs.all('friend_loc')).toEqual([]);
    expect(cs.all('nearby').flatMap((m) => m.friends)).toEqual([]);
    ca.close();
    cb.close();
    cs.close();
  });

  it('removing a friend stops delivery at once, both ways, with friend_gone', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    await move(cb, NEAR);
    await ca.next('friend_loc', (m) => m.user === b);
    await cb.next('friend_loc', (m) => m.user === a);
    expect(await ca.request({ t: 'friend_remove', user: b })).toMatchObject({ t: 'ok' });
    expect(await ca.next('friend_gone', (m) => m.user === b)).toMatchObject({ reason: 'unfriended' });
    expect(await cb.next('friend_gone', (m) => m.user === a)).toMatchObject({ reason: 'unfriended' });
    const before = [ca.all('friend_loc').length, cb.all('friend_loc').length];
    await move(cb, MONACO);
    await move(ca, NEAR);
    await settle();
    expect([ca.all('friend_loc').length, cb.all('friend_loc').length]).toEqual(before);
    ca.close();
    cb.close();
  });

  it('gives a connecting user its nearby friends from the cache', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(cb, NEAR);
    await move(ca, MONACO);
    ca.close();
    await ca.closed;
    const again = await TestClient.connect(s1.url, { token: s1.token(a) });
    const nearby = await again.next('nearby');
    expect(nearby.friends.map((f) => f.user)).toEqual([b]);
    again.close();
    cb.close();
  });

  it('a friendship made over the socket takes effect live for users already connected', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await move(ca, MONACO);
    await move(cb, NEAR);
    await settle(100);
    expect(ca.all('friend_loc')).toEqual([]);
    await befriend(ca, a, cb, b);
    // On becoming friends each learns the other's cached position at once.
    await ca.next('friend_loc', (m) => m.user === b);
    await cb.next('friend_loc', (m) => m.user === a);
    ca.close();
    cb.close();
  });
}

/** TTL expiry: needs gateways started with LOCUS_LOCATION_TTL_SEC=1. */
export function ttlScenario(sides: () => [Side, Side]): void {
  it('a friend whose location expires is reported gone', async () => {
    const [s1, s2] = sides();
    const [a, b] = [uniqueUser('alice'), uniqueUser('bob')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    await move(cb, NEAR);
    await ca.next('friend_loc', (m) => m.user === b);
    expect(await ca.next('friend_gone', (m) => m.user === b, 5000)).toMatchObject({ reason: 'expired' });
    ca.close();
    cb.close();
  }, 10_000);
}

/** Nearby strangers (opt-in), on any pair of gateways. */
export function strangersScenario(sides: () => [Side, Side]): void {
  it('opted-in strangers see each other nearby; others never appear; opting out stops both ways at once', async () => {
    const [s1, s2] = sides();
    const [a, b, shy, far] = [uniqueUser('sa'), uniqueUser('sb'), uniqueUser('shy'), uniqueUser('far')];
    const ca = await connectUser(s1, a);
    const cb = await connectUser(s2, b);
    const cshy = await connectUser(s2, shy);
    const cfar = await connectUser(s1, far);
    await move(ca, MONACO);
    await move(cb, NEAR);
    await move(cshy, NEAR);
    await move(cfar, NICE);
    expect(await ca.request({ t: 'strangers', enabled: true, radius: 2000 })).toMatchObject({ t: 'ok', of: 'strangers', radius: 2000 });
    expect(await cb.request({ t: 'strangers', enabled: true, radius: 2000 })).toMatchObject({ t: 'ok' });
    expect(await cfar.request({ t: 'strangers', enabled: true, radius: 2000 })).toMatchObject({ t: 'ok' });
    await settle(150);
    await move(cb, NEAR);
    expect(await ca.next('stranger_loc', (m) => m.user === b)).toMatchObject({ lat: NEAR.lat, lng: NEAR.lng });
    await move(ca, MONACO);
    const seen = await cb.next('stranger_loc', (m) => m.user === a);
    expect(seen.d).toBeGreaterThan(400);
    // Not opted in: never shown, never told.
    await move(cshy, NEAR);
    await move(cfar, NICE);
    await settle(200);
    const strangersSeenBy = (c: TestClient) => new Set(c.all('stranger_loc').map((m) => m.user));
    expect(strangersSeenBy(ca).has(shy)).toBe(false);
    expect(strangersSeenBy(cb).has(shy)).toBe(false);
    expect(cshy.all('stranger_loc')).toEqual([]);
    // Far away (13 km): not within 2 km.
    expect(strangersSeenBy(ca).has(far)).toBe(false);
    expect(strangersSeenBy(cfar).size).toBe(0);
    // Opting out stops both directions at once.
    expect(await cb.request({ t: 'strangers', enabled: false })).toMatchObject({ t: 'ok' });
    expect(await ca.next('stranger_gone', (m) => m.user === b)).toMatchObject({ reason: 'left' });
    const [aBefore, bBefore] = [ca.all('stranger_loc').length, cb.all('stranger_loc').length];
    await move(cb, NEAR);
    await move(ca, MONACO);
    await settle(200);
    expect([ca.all('stranger_loc').length, cb.all('stranger_loc').length]).toEqual([aBefore, bBefore]);
    for (const c of [ca, cb, cshy, cfar]) c.close();
  });
}
