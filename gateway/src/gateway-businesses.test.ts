import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCaller, type CallOptions } from './testing/http-call.js';
import { startTestGateway } from './testing/test-gateway.js';

const MONACO = { lat: 43.7384, lng: 7.4246 };

describe('businesses and nearby search (memory engine, Monaco seed)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_SEED_OSM: new URL('../../data/monaco.osm.pbf', import.meta.url).pathname, LOCUS_HTTP_MAX_BODY_BYTES: '4096' });
  });
  afterAll(() => t.stop());

  type Results = Record<string, unknown> & { results?: { id: string; name: string; distance: number; category: string }[] };
  const http = httpCaller(() => t.http);
  const call = (method: string, path: string, opts: CallOptions = {}) => http<Results>(method, path, opts);
  const operator = () => t.token('ops', 3600, ['operator']);
  const nearby = (q: string) => call('GET', `/v1/search/nearby?${q}`);

  it('seeds the Monaco POIs and finds them nearest first, each with its distance', async () => {
    const r = await nearby(`lat=${MONACO.lat}&lng=${MONACO.lng}&radius=1000&limit=20`);
    expect(r.status).toBe(200);
    const results = r.json.results!;
    expect(results.length).toBe(20);
    for (let i = 1; i < results.length; i++) expect(results[i]!.distance).toBeGreaterThanOrEqual(results[i - 1]!.distance);
    expect(results.every((x) => x.distance <= 1000)).toBe(true);
    expect(typeof r.json.next).toBe('string');
    const page2 = await nearby(`lat=${MONACO.lat}&lng=${MONACO.lng}&radius=1000&limit=20&cursor=${String(r.json.next)}`);
    expect(page2.json.results![0]!.distance).toBeGreaterThanOrEqual(results[19]!.distance);
    expect(new Set([...results, ...page2.json.results!].map((x) => x.id)).size).toBe(results.length + page2.json.results!.length);
  });

  it('filters by category', async () => {
    const r = await nearby(`lat=${MONACO.lat}&lng=${MONACO.lng}&radius=5000&category=restaurant&limit=100`);
    expect(r.json.results!.length).toBeGreaterThan(0);
    expect(r.json.results!.every((x) => x.category === 'restaurant')).toBe(true);
  });

  it('CRUD: create (operator only), read, replace with If-Match, delete; search follows at once', async () => {
    const body = { name: 'Café Test', lat: MONACO.lat + 0.0001, lng: MONACO.lng, category: 'cafe', address: { street: 'Rue Grimaldi', city: 'Monaco', country: 'MC' } };
    expect((await call('POST', '/v1/businesses', { body })).status).toBe(401);
    expect(await call('POST', '/v1/businesses', { body, token: t.token('someone') })).toMatchObject({ status: 403, json: { error: { code: 'FORBIDDEN' } } });
    const created = await call('POST', '/v1/businesses', { body, token: operator() });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.headers.get('location')).toBe(`/v1/businesses/${id}`);
    const etag = created.headers.get('etag')!;
    expect(await call('GET', `/v1/businesses/${id}`)).toMatchObject({ status: 200, json: { name: 'Café Test' } });
    const found = await nearby(`lat=${MONACO.lat + 0.0001}&lng=${MONACO.lng}&radius=5&category=cafe`);
    expect(found.json.results!.map((x) => x.id)).toContain(id);

    expect(await call('PUT', `/v1/businesses/${id}`, { body: { ...body, name: 'Stale' }, token: operator(), headers: { 'if-match': '"1"' } })).toMatchObject({ status: 409, json: { error: { code: 'CONFLICT' } } });
    const moved = await call('PUT', `/v1/businesses/${id}`, { body: { ...body, name: 'Café Moved', lat: 43.75 }, token: operator(), headers: { 'if-match': etag } });
    expect(moved).toMatchObject({ status: 200, json: { name: 'Café Moved', lat: 43.75 } });
    expect((await nearby(`lat=${MONACO.lat + 0.0001}&lng=${MONACO.lng}&radius=5&category=cafe`)).json.results!.map((x) => x.id)).not.toContain(id);
    expect(await call('POST', '/v1/businesses', { body: { ...body, id }, token: operator() })).toMatchObject({ status: 409 });
    expect((await call('DELETE', `/v1/businesses/${id}`, { token: operator() })).status).toBe(204);
    expect(await call('GET', `/v1/businesses/${id}`)).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    expect((await call('DELETE', `/v1/businesses/${id}`, { token: operator() })).status).toBe(404);
    expect((await call('PUT', `/v1/businesses/${id}`, { body, token: operator() })).status).toBe(404);
    expect((await nearby(`lat=43.75&lng=${MONACO.lng}&radius=5`)).json.results!.map((x) => x.id)).not.toContain(id);
  });

  it.each([
    ['missing name', { lat: 1, lng: 1, category: 'cafe' }, 'name'],
    ['lat out of range', { name: 'x', lat: 91, lng: 1, category: 'cafe' }, 'lat'],
    ['bad category', { name: 'x', lat: 1, lng: 1, category: 'Café!' }, 'category'],
    ['bad time zone', { name: 'x', lat: 1, lng: 1, category: 'cafe', hours: { tz: 'Nowhere/City', week: {} } }, 'hours.tz'],
    ['bad hours', { name: 'x', lat: 1, lng: 1, category: 'cafe', hours: { tz: 'UTC', week: { mon: [{ open: '9am', close: '5pm' }] } } }, 'hours.week.mon.0.open'],
    ['unknown field', { name: 'x', lat: 1, lng: 1, category: 'cafe', stars: 5 }, 'body'],
  ])('rejects a body with %s (400, naming the field)', async (_n, body, field) => {
    const r = await call('POST', '/v1/businesses', { body, token: operator() });
    expect(r).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    expect(String((r.json.error as { details?: { field?: string } }).details?.field ?? 'body')).toBe(field);
  });

  it('answers 413 and 415 for oversized and non-JSON bodies', async () => {
    expect((await call('POST', '/v1/businesses', { raw: JSON.stringify({ name: 'x'.repeat(5000) }), token: operator() })).status).toBe(413);
    expect((await call('POST', '/v1/businesses', { raw: 'name=x', type: 'application/x-www-form-urlencoded', token: operator() })).status).toBe(415);
  });

  it.each([
    ['lat missing', `lng=7&radius=10`],
    ['lat not a number', `lat=abc&lng=7`],
    ['lng out of range', `lat=1&lng=181`],
    ['radius over 50 km', `lat=1&lng=1&radius=50001`],
    ['negative radius', `lat=1&lng=1&radius=-1`],
    ['limit 0', `lat=1&lng=1&limit=0`],
    ['fractional limit', `lat=1&lng=1&limit=2.5`],
    ['bad category', `lat=1&lng=1&category=DROP%20TABLE`],
    ['bad open_now', `lat=1&lng=1&open_now=maybe`],
    ['foreign cursor', `lat=1&lng=1&cursor=eyJkIjoxfQ`],
  ])('search rejects %s with 400', async (_n, q) => {
    expect(await nearby(q)).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
  });

  it('counts cell-cache hits and misses', async () => {
    await nearby(`lat=${MONACO.lat}&lng=${MONACO.lng}&radius=300&limit=5`);
    await nearby(`lat=${MONACO.lat}&lng=${MONACO.lng}&radius=300&limit=5`);
    const m = await (await fetch(`${t.http}/metrics`)).text();
    expect(Number(/locus_search_cache_hits_total (\d+)/.exec(m)?.[1])).toBeGreaterThan(0);
    expect(Number(/locus_search_cache_misses_total (\d+)/.exec(m)?.[1])).toBeGreaterThan(0);
    expect(Number(/locus_businesses (\d+)/.exec(m)?.[1])).toBeGreaterThan(300);
  });
});
