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
});
