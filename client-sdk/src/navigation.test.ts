import { decodePolyline, encodePolyline, type NavManeuver } from '@locus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type LocusClient } from './client.js';
import { collect, until } from './testing/fixtures.js';
import { FakeGateway, type Msg } from './testing/fake-gateway.js';

/**
 * Navigation through the SDK against a scripted gateway: the gateway's navigation sessions are not
 * on main yet, so this checks the SDK's half of the protocol (protocol/src/navigation.ts).
 */
const route = { distance: 2500, duration: 180, polyline: '_p~iF~ps|U', maneuvers: [], summary: 'Bd Albert 1er' };
const remaining = (duration: number) => ({ distance: duration * 14, duration, eta: Date.now() + duration * 1000 });

describe('navigation (scripted gateway)', () => {
  let c: LocusClient | undefined;
  afterEach(() => c?.close());

  it('starts, streams progress, sends fixes at once while navigating, resumes after a reconnect, and cancels', async () => {
    const gw = new FakeGateway();
    let session: string | undefined;
    gw.onMessage = (s, m: Msg) => {
      if (m.t === 'loc') s.push({ t: 'ok', of: 'loc', seq: m.seq });
      if (m.t === 'nav_start') {
        session = 'nav-1';
        s.push({ t: 'nav_route', id: m.id, session, reason: 'start', route, graphVersion: 'g1', ...remaining(180) });
      }
      if (m.t === 'nav_state' && session) s.push({ t: 'nav_route', id: m.id, session, reason: 'state', route, graphVersion: 'g1', ...remaining(150) });
      if (m.t === 'nav_cancel' && session) {
        s.push({ t: 'ok', of: 'nav_cancel', id: m.id });
        s.push({ t: 'nav_end', session, reason: 'cancelled' });
        session = undefined;
      }
    };
    // Like the gateway: a session that exists is pushed again on connect.
    gw.onOpen = (s) => {
      if (session) s.push({ t: 'nav_route', session, reason: 'resumed', route, graphVersion: 'g1', ...remaining(160) });
    };
    c = await connect({ url: 'ws://fake/v1/ws', token: 't', WebSocket: gw.WebSocket, format: 'json', batchIntervalMs: 60_000, backoff: { initialDelayMs: 10, maxDelayMs: 20 } });
    const routes = collect(c, 'navRoute');
    const progress = collect(c, 'navProgress');
    const ends = collect(c, 'navEnd');

    c.updateLocation({ lat: 43.7384, lng: 7.4246 }); // batched: not sent yet
    const first = await c.startNavigation({ to: { lat: 43.7311, lng: 7.4197 }, options: { avoid: { tolls: true } } });
    expect(first).toMatchObject({ session: 'nav-1', reason: 'start', duration: 180 });
    expect(c.navigation).toBe('nav-1');
    // The buffered fix went out before nav_start (the route starts from the last accepted location).
    expect(gw.received.map((r) => r.msg.t)).toEqual(['loc', 'nav_start']);
    expect(gw.of('nav_start')[0]).toMatchObject({ to: { lat: 43.7311, lng: 7.4197 }, options: { avoid: { tolls: true } } });

    // While navigating, every fix goes at once.
    c.updateLocation({ lat: 43.7380, lng: 7.4240 });
    await until(() => gw.of('loc').length === 2, 1000, 'immediate fix');
    const nextEta = c.next('navEta');
    gw.current.push({ t: 'nav_progress', session: 'nav-1', offRoute: false, next: { instruction: 'Turn left', type: 'turn', modifier: 'left', street: 'Rue Grimaldi', distance: 120 }, ...remaining(170) });
    gw.current.push({ t: 'nav_eta', session: 'nav-1', reason: 'traffic', ...remaining(200) });
    const eta = await nextEta;
    expect(eta.duration).toBe(200);
    expect(progress[0]?.next?.street).toBe('Rue Grimaldi');

    // The connection drops: the session is resumed on the new one (push and nav_state reply).
    const back = c.next('reconnected');
    gw.drop();
    await back;
    await until(() => routes.some((r) => r.reason === 'resumed') && routes.some((r) => r.reason === 'state'), 2000, 'resumed route');
    expect(gw.of('nav_state').length).toBe(1);
    expect(c.navigation).toBe('nav-1');

    await c.cancelNavigation();
    await until(() => ends.length === 1, 1000, 'nav_end');
    expect(ends[0]).toMatchObject({ session: 'nav-1', reason: 'cancelled' });
    expect(c.navigation).toBeUndefined();
    // Back to batching.
    c.updateLocation({ lat: 43.7381, lng: 7.4241 });
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.of('loc').length).toBe(2);
    expect(routes.map((r) => r.reason)).toEqual(['start', 'resumed', 'state']);
  });

  it('forgets a session the gateway no longer has after a reconnect', async () => {
    const gw = new FakeGateway();
    gw.onMessage = (s, m: Msg) => {
      if (m.t === 'nav_start') s.push({ t: 'nav_route', id: m.id, session: 'nav-2', reason: 'start', route, graphVersion: 'g1', ...remaining(100) });
      if (m.t === 'nav_state') s.push({ t: 'error', id: m.id, code: 'NOT_FOUND', message: 'no navigation session' });
    };
    c = await connect({ url: 'ws://fake/v1/ws', token: 't', WebSocket: gw.WebSocket, format: 'json', backoff: { initialDelayMs: 10, maxDelayMs: 20 } });
    const errors = collect(c, 'error');
    await c.startNavigation({ to: { lat: 43.73, lng: 7.42 } });
    const back = c.next('reconnected');
    gw.drop();
    await back;
    await until(() => errors.length === 1, 1000, 'error event');
    expect(errors[0]?.code).toBe('NOT_FOUND');
    expect(c.navigation).toBeUndefined();
  });

  it('rebuilds a route sent as a patch, and asks for the whole route when a patch does not fit the one it holds', async () => {
    const gw = new FakeGateway();
    const step = (street: string, lat: number): NavManeuver => ({ type: 'turn', modifier: 'left', street, instruction: `Turn left onto ${street}`, distance: 100, duration: 10, lat, lng: 7.42 });
    // Five points north along a street; the patch keeps 1..2, detours east, and rejoins at 4.
    const points = [43.730, 43.731, 43.732, 43.733, 43.734].flatMap((lat) => [lat, 7.42]);
    const base = { distance: 500, duration: 50, polyline: encodePolyline(points), maneuvers: [step('A', 43.73), step('B', 43.732), step('C', 43.734)], summary: 'A' };
    gw.onMessage = (s, m: Msg) => {
      if (m.t === 'nav_start') s.push({ t: 'nav_route', id: m.id, session: 'nav-3', reason: 'start', rev: 0, route: base, graphVersion: 'g1', ...remaining(50) });
      if (m.t === 'nav_state') s.push({ t: 'nav_route', id: m.id, session: 'nav-3', reason: 'state', rev: 7, route: base, graphVersion: 'g1', ...remaining(40) });
    };
    c = await connect({ url: 'ws://fake/v1/ws', token: 't', WebSocket: gw.WebSocket, format: 'json' });
    expect(new URL(gw.sockets[0]!.url).searchParams.get('patch')).toBe('1');
    const routes = collect(c, 'navRoute');
    await c.startNavigation({ to: { lat: 43.734, lng: 7.42 } });
    const patch = {
      t: 'nav_patch', session: 'nav-3', reason: 'closure', base: 0, rev: 1,
      start: [43.7305, 7.42], keep: [1, 2], detour: encodePolyline([43.7325, 7.421, 43.7335, 7.421]), resume: 4,
      maneuvers: [step('Z', 43.7305), 1, 2], route: { distance: 480, duration: 60, summary: 'A, Z' }, graphVersion: 'g1', ...remaining(60),
    };
    gw.current.push(patch);
    await until(() => routes.length === 2, 1000, 'patched route');
    const whole = routes[1]!;
    expect(whole).toMatchObject({ t: 'nav_route', session: 'nav-3', reason: 'closure', rev: 1, duration: 60, route: { distance: 480, summary: 'A, Z' } });
    expect(decodePolyline(whole.route.polyline)).toEqual([43.7305, 7.42, 43.731, 7.42, 43.732, 7.42, 43.7325, 7.421, 43.7335, 7.421, 43.734, 7.42]);
    expect(whole.route.maneuvers.map((m) => m.street)).toEqual(['Z', 'B', 'C']);
    // A patch of a revision the client does not hold (missed while away): it asks for the route.
    gw.current.push({ ...patch, base: 5, rev: 6 });
    await until(() => routes.length === 3, 1000, 'whole route asked for');
    expect(gw.of('nav_state').length).toBe(1);
    expect(routes[2]).toMatchObject({ reason: 'state', rev: 7 });
    // The next patch applies to that one.
    gw.current.push({ ...patch, base: 7, rev: 8 });
    await until(() => routes.length === 4, 1000, 'patched again');
    expect(routes[3]).toMatchObject({ reason: 'closure', rev: 8 });
  });
});
