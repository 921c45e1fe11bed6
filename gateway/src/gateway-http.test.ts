import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCaller, type CallOptions } from './testing/http-call.js';
import { startTestGateway } from './testing/test-gateway.js';
import { connectUser, MONACO, move, NEAR, uniqueUser } from './testing/presence-scenarios.js';

describe('HTTP API', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_HTTP_MAX_BODY_BYTES: '1024' });
  });
  afterAll(() => t.stop());

  const http = httpCaller(() => t.http);
  const call = (method: string, path: string, opts: { user?: string } & CallOptions = {}) =>
    http(method, path, { ...opts, ...(opts.user ? { token: t.token(opts.user) } : {}) });

  it('GET /healthz is alive', async () => {
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('GET /readyz proves a pub/sub round trip', async () => {
    const r = await call('GET', '/readyz');
    expect(r).toMatchObject({ status: 200, json: { status: 'ready', engine: 'memory' } });
    expect(typeof r.json.probeMs).toBe('number');
  });

  it('GET /metrics speaks Prometheus text', async () => {
    const r = await call('GET', '/metrics');
    expect(r.status).toBe(200);
    for (const name of [
      'locus_connections',
      'locus_messages_in_total',
      'locus_messages_out_total',
      'locus_fanout_deliveries_total',
      'locus_dropped_updates_total',
      'locus_update_latency_seconds_bucket',
      'locus_engine_errors_total',
    ]) {
      expect(r.text).toContain(name);
    }
  });

  it('reports open file descriptors from a background count (a scrape never lists /proc/self/fd itself)', async () => {
    // The count started when the gateway did; a scrape shows it (once, not prom-client's own gauge too).
    await expect.poll(async () => Number(/^locus_process_open_fds (\d+)$/m.exec((await call('GET', '/metrics')).text)?.[1] ?? 0)).toBeGreaterThan(0);
    const text = (await call('GET', '/metrics')).text;
    expect(text.match(/^locus_process_open_fds /gm)).toHaveLength(1);
  });

  it('needs a token for /v1 and answers 401 with a code', async () => {
    const r = await call('GET', '/v1/friends');
    expect(r).toMatchObject({ status: 401, json: { error: { code: 'UNAUTHORIZED' } } });
  });

  it('friend request, accept, list and remove over REST', async () => {
    const [a, b] = [uniqueUser('ann'), uniqueUser('ben')];
    expect(await call('POST', '/v1/friends/requests', { user: a, body: { user: b } })).toMatchObject({ status: 200, json: { status: 'requested' } });
    expect(await call('GET', '/v1/friends', { user: b })).toMatchObject({ json: { friends: [], incoming: [a], outgoing: [] } });
    expect((await call('POST', `/v1/friends/requests/${a}/accept`, { user: b })).status).toBe(200);
    expect(await call('GET', '/v1/friends', { user: a })).toMatchObject({ json: { friends: [b], incoming: [], outgoing: [] } });
    expect((await call('DELETE', `/v1/friends/${b}`, { user: a })).status).toBe(204);
    expect(await call('DELETE', `/v1/friends/${b}`, { user: a })).toMatchObject({ status: 403, json: { error: { code: 'NOT_FRIEND' } } });
    expect(await call('POST', `/v1/friends/requests/${a}/accept`, { user: b })).toMatchObject({ status: 404, json: { error: { code: 'NO_REQUEST' } } });
  });

  it('a REST friendship takes effect live on open sockets', async () => {
    const [a, b] = [uniqueUser('ann'), uniqueUser('ben')];
    const side = { url: t.url, token: t.token };
    const ca = await connectUser(side, a);
    const cb = await connectUser(side, b);
    await move(ca, MONACO);
    await move(cb, NEAR);
    await call('POST', '/v1/friends/requests', { user: a, body: { user: b } });
    await call('POST', `/v1/friends/requests/${a}/accept`, { user: b });
    await ca.next('friend_loc', (m) => m.user === b);
    const nearby = await call('GET', '/v1/friends/nearby', { user: a });
    expect(nearby.json).toMatchObject({ located: true, radius: 8000, friends: [{ user: b }] });
    ca.close();
    cb.close();
  });

  it('settings: read, change the radius, reject bad values', async () => {
    const u = uniqueUser('sue');
    expect(await call('GET', '/v1/settings', { user: u })).toMatchObject({ json: { radius: 8000 } });
    expect(await call('PUT', '/v1/settings', { user: u, body: { radius: 2500 } })).toMatchObject({ status: 200, json: { radius: 2500 } });
    expect(await call('PUT', '/v1/settings', { user: u, body: { radius: -5 } })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST', details: { field: 'radius' } } } });
  });

  it('history by time range, paged', async () => {
    const u = uniqueUser('hal');
    const c = await connectUser({ url: t.url, token: t.token }, u);
    const start = Date.now();
    const lats = [43.73, 43.731, 43.732, 43.733, 43.734];
    for (const lat of lats) await move(c, { lat, lng: 7.42 });
    const first = await call('GET', `/v1/history?from=${start - 1}&to=${Date.now() + 1}&limit=3`, { user: u });
    expect(first.status).toBe(200);
    const items = first.json.items as { lat: number }[];
    expect(items.map((i) => i.lat)).toEqual([43.73, 43.731, 43.732]);
    const second = await call('GET', `/v1/history?from=${start - 1}&to=${Date.now() + 1}&limit=3&cursor=${String(first.json.next)}`, { user: u });
    expect((second.json.items as { lat: number }[]).map((i) => i.lat)).toEqual([43.733, 43.734]);
    expect(second.json.next).toBeUndefined();
    const viaSocket = await c.request({ t: 'history', from: start - 1, to: Date.now() + 1 });
    expect(viaSocket).toMatchObject({ t: 'history' });
    expect((viaSocket as { items: unknown[] }).items).toHaveLength(5);
    expect(await call('GET', `/v1/history?from=10&to=5`, { user: u })).toMatchObject({ status: 400 });
    expect(await call('GET', `/v1/history?cursor=not-a-cursor`, { user: u })).toMatchObject({ status: 400, json: { error: { code: 'BAD_MESSAGE', details: { field: 'cursor' } } } });
    expect(await c.request({ t: 'history', from: 0, to: 1, cursor: '12-x' })).toMatchObject({ t: 'error', code: 'BAD_MESSAGE' });
    c.close();
  });

  it('rejects bad bodies with 400, 413 and 415', async () => {
    const u = uniqueUser('bad');
    expect(await call('POST', '/v1/friends/requests', { user: u, raw: '{"user":' })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    expect(await call('POST', '/v1/friends/requests', { user: u, body: { user: 'x'.repeat(2000) } })).toMatchObject({ status: 413, json: { error: { code: 'TOO_LARGE' } } });
    expect(await call('POST', '/v1/friends/requests', { user: u, raw: 'user=x', type: 'text/plain' })).toMatchObject({ status: 415, json: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
    expect(await call('POST', '/v1/friends/requests', { user: u, body: { user: u } })).toMatchObject({ status: 400 });
  });

  it('answers a malformed percent-escape in a path parameter with 400 (and stays up)', async () => {
    expect(await call('POST', '/v1/friends/requests/%E0/accept', { user: 'x' })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200 });
  });

  it('answers unknown paths with 404 NOT_FOUND', async () => {
    expect(await call('GET', '/v1/nothing-here')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
  });
});
