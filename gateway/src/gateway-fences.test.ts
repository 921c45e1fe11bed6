import { haversineMeters } from '@locus/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { befriend, connectUser, MONACO, move, settle, uniqueUser } from './testing/presence-scenarios.js';
import { startTestGateway } from './testing/test-gateway.js';

/** A point `metres` north of p (along the meridian). */
const north = (p: { lat: number; lng: number }, metres: number) => ({ lat: p.lat + metres / 111_195.08, lng: p.lng });

describe('geofences', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_MAX_FENCES: '3' });
  });
  afterAll(() => t.stop());
  const side = () => ({ url: t.url, token: t.token });
  const rest = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(t.http + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };

  it('circle fence over the socket: enter, dwell, exit for the owner', async () => {
    const a = uniqueUser('walker');
    const c = await connectUser(side(), a);
    await move(c, north(MONACO, 500));
    const ok = await c.request({ t: 'fence_add', fence: { kind: 'circle', lat: MONACO.lat, lng: MONACO.lng, radius: 100, name: 'home', dwellSec: 1 } });
    expect(ok).toMatchObject({ t: 'ok', of: 'fence_add' });
    const fence = (ok as { fence: string }).fence;
    await move(c, north(MONACO, 150));
    await settle(150);
    expect(c.all('fence_event')).toEqual([]);
    await move(c, north(MONACO, 50));
    expect(await c.next('fence_event', (e) => e.kind === 'enter')).toMatchObject({ fence, user: a, name: 'home' });
    await move(c, north(MONACO, 60)); // still inside: nothing new
    expect(await c.next('fence_event', (e) => e.kind === 'dwell', 4000)).toMatchObject({ fence, user: a });
    await move(c, north(MONACO, 300));
    expect(await c.next('fence_event', (e) => e.kind === 'exit')).toMatchObject({ fence, user: a });
    expect(c.all('fence_event').map((e) => e.kind)).toEqual(['enter', 'dwell', 'exit']);
    expect(await c.request({ t: 'fences' })).toMatchObject({ t: 'fences', fences: [{ id: fence, kind: 'circle', owner: a, scope: 'self' }] });
    expect(await c.request({ t: 'fence_remove', fence })).toMatchObject({ t: 'ok' });
    await move(c, MONACO);
    await settle(150);
    expect(c.all('fence_event').length).toBe(3);
    c.close();
  });

  it("a user's fence does not fire for other users; an operator's fence fires for everyone", async () => {
    const [owner, passer, op] = [uniqueUser('owner'), uniqueUser('passer'), uniqueUser('operator')];
    const co = await connectUser(side(), owner);
    const cp = await connectUser(side(), passer);
    const cop = await connectUser(side(), op);
    const square = [[43.73, 7.41], [43.73, 7.43], [43.75, 7.43], [43.75, 7.41]];
    expect((await rest('POST', '/v1/fences', t.token(owner), { fence: { kind: 'polygon', points: square } })).status).toBe(201);
    expect(await rest('POST', '/v1/fences', t.token(owner), { fence: { kind: 'polygon', points: square }, scope: 'all' })).toMatchObject({ status: 403 });
    const opFence = await rest('POST', '/v1/fences', t.token(op, 3600, ['operator']), { fence: { kind: 'polygon', points: square, name: 'district' }, scope: 'all' });
    expect(opFence).toMatchObject({ status: 201, json: { scope: 'all', owner: op } });
    await move(cp, { lat: 43.8, lng: 7.42 });
    await move(cp, { lat: 43.74, lng: 7.42 });
    expect(await cop.next('fence_event')).toMatchObject({ fence: opFence.json.id, kind: 'enter', user: passer, name: 'district' });
    await settle(150);
    expect(co.all('fence_event')).toEqual([]);
    expect(cp.all('fence_event')).toEqual([]);
    for (const c of [co, cp, cop]) c.close();
  });

  it('roaming fence: enter exactly at N, nothing just inside, exit just outside', async () => {
    const [a, b] = [uniqueUser('a'), uniqueUser('b')];
    const ca = await connectUser(side(), a);
    const cb = await connectUser(side(), b);
    expect(await ca.request({ t: 'fence_add', fence: { kind: 'friend', friend: b, radius: 1000 } })).toMatchObject({ t: 'error', code: 'NOT_FRIEND' });
    await befriend(ca, a, cb, b);
    await move(ca, MONACO);
    await move(cb, north(MONACO, 3000));
    const atN = north(MONACO, 1000);
    // N is the distance Locus itself computes for this pair, so "exactly at N" is exact.
    const N = haversineMeters(MONACO.lat, MONACO.lng, atN.lat, atN.lng);
    const ok = await ca.request({ t: 'fence_add', fence: { kind: 'friend', friend: b, radius: N, name: 'b close' } });
    const fence = (ok as { fence: string }).fence;
    await settle(100);
    expect(ca.all('fence_event')).toEqual([]);
    await move(cb, atN);
    expect(await ca.next('fence_event')).toMatchObject({ fence, kind: 'enter', user: b, name: 'b close' });
    await move(cb, north(MONACO, 999.99)); // just inside
    await settle(100);
    expect(ca.all('fence_event').length).toBe(1);
    await move(cb, north(MONACO, 1000.01)); // just outside
    expect(await ca.next('fence_event', (e) => e.kind === 'exit')).toMatchObject({ fence, user: b });
    // The owner moving counts too.
    await move(ca, north(MONACO, 10));
    expect(await ca.next('fence_event', (e) => e.kind === 'enter')).toMatchObject({ fence, user: b });
    expect(cb.all('fence_event')).toEqual([]);
    ca.close();
    cb.close();
  });

  it('rejects bad fences with stable codes', async () => {
    const u = uniqueUser('bad');
    const c = await connectUser(side(), u);
    expect(await c.request({ t: 'fence_add', fence: { kind: 'polygon', points: [[0, 0], [1, 1], [0, 1], [1, 0]] } })).toMatchObject({ t: 'error', code: 'BAD_REQUEST' });
    expect(await c.request({ t: 'fence_add', fence: { kind: 'circle', lat: 0, lng: 0, radius: 0 } })).toMatchObject({ t: 'error', code: 'BAD_MESSAGE' });
    expect(await c.request({ t: 'fence_add', fence: { kind: 'hexagon' } })).toMatchObject({ t: 'error', code: 'BAD_MESSAGE' });
    expect(await c.request({ t: 'fence_add', fence: { kind: 'friend', friend: u, radius: 10 } })).toMatchObject({ t: 'error' });
    for (let i = 0; i < 3; i++) expect(await c.request({ t: 'fence_add', fence: { kind: 'circle', lat: 0, lng: i, radius: 10 } })).toMatchObject({ t: 'ok' });
    expect(await c.request({ t: 'fence_add', fence: { kind: 'circle', lat: 0, lng: 9, radius: 10 } })).toMatchObject({ t: 'error', code: 'LIMIT_EXCEEDED' });
    const mine = (await rest('GET', '/v1/fences', t.token(u))).json.fences as { id: string }[];
    expect(mine.length).toBe(3);
    expect(await rest('DELETE', `/v1/fences/${mine[0]!.id}`, t.token('someone-else'))).toMatchObject({ status: 404 });
    expect(await rest('GET', `/v1/fences/${mine[0]!.id}`, t.token('someone-else'))).toMatchObject({ status: 404 });
    expect((await rest('GET', `/v1/fences/${mine[0]!.id}`, t.token(u))).status).toBe(200);
    expect((await rest('DELETE', `/v1/fences/${mine[0]!.id}`, t.token(u))).status).toBe(204);
    expect(await rest('POST', '/v1/fences', t.token(u), { fence: { kind: 'circle', lat: 95, lng: 0, radius: 10 } })).toMatchObject({ status: 400 });
    c.close();
  });
});
