import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Relative imports: @locus/geo does not export the OSM reader and the geocoder from its index yet.
import { GeocodeIndex } from '../../geo/src/geocode/index.js';
import { mintToken, TokenVerifier } from './auth.js';
import { DEV_JWT_SECRET, loadConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { geocodeRoutes, type GeocoderSource } from './http/geocode-routes.js';
import { mountRoutes } from './http/router.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { uws, type us_listen_socket } from './uws.js';

const MONACO_PBF = fileURLToPath(new URL('../../data/monaco.osm.pbf', import.meta.url));
const STARS_N_BARS = { lat: 43.7329221, lng: 7.4257905 };

/**
 * The geocode routes through the real router on their own uWS app (server.ts does not mount them
 * yet): same auth, error path and response writing as the gateway, over real HTTP. The router only
 * uses config, verifier, metrics and log from the context, so that is all this one has (the rest of
 * GatewayContext is services these routes never touch).
 */
async function serve(source: GeocoderSource): Promise<{ http: string; stop: () => void }> {
  const config = loadConfig({ LOCUS_HOST: '127.0.0.1', LOCUS_PORT: '0', LOCUS_LOG_LEVEL: 'silent' });
  const ctx = {
    config,
    metrics: new Metrics(),
    log: createLogger(config.logLevel, 'test'),
    verifier: new TokenVerifier(config.jwt),
  } as Partial<GatewayContext> as GatewayContext;
  const app = uws.App();
  mountRoutes(app, ctx, geocodeRoutes(source));
  const socket = await new Promise<us_listen_socket>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('cannot listen')))),
  );
  return { http: `http://127.0.0.1:${uws.us_socket_local_port(socket)}`, stop: () => uws.us_listen_socket_close(socket) };
}

interface Reply {
  status: number;
  json: { results?: { label: string; kind: string; score: number; lat: number; lng: number }[]; result?: Record<string, unknown>; error?: { code: string; message: string; details?: { field?: string } } };
}

describe('geocode routes', () => {
  let index: GeocodeIndex;
  let srv: Awaited<ReturnType<typeof serve>>;
  let unconfigured: Awaited<ReturnType<typeof serve>>;
  const token = mintToken('geo-user', { secret: DEV_JWT_SECRET });

  beforeAll(async () => {
    index = await GeocodeIndex.fromPbf(MONACO_PBF);
    srv = await serve(index);
    unconfigured = await serve(() => null);
  });
  afterAll(() => {
    srv.stop();
    unconfigured.stop();
  });

  const get = async (path: string, opts: { auth?: boolean; base?: string } = {}): Promise<Reply> => {
    const headers: Record<string, string> = opts.auth === false ? {} : { authorization: `Bearer ${token}` };
    const res = await fetch((opts.base ?? srv.http) + path, { headers });
    return { status: res.status, json: (await res.json()) as Reply['json'] };
  };

  it('GET /v1/geocode answers ranked results', async () => {
    const r = await get(`/v1/geocode?q=${encodeURIComponent('6 Quai Antoine 1er')}`);
    expect(r.status).toBe(200);
    expect(r.json.results![0]).toMatchObject({
      kind: 'address',
      label: 'Stars n Bars, 6 Quai Antoine 1er, 98000 Monaco',
      address: { housenumber: '6', street: 'Quai Antoine 1er' },
    });
    expect(r.json.results).toEqual(index.forward('6 Quai Antoine 1er'));
  });

  it('passes limit and near through', async () => {
    const r = await get('/v1/geocode?q=rue&limit=3&near=43.75,7.44');
    expect(r.status).toBe(200);
    expect(r.json.results).toEqual(index.forward('rue', { limit: 3, near: { lat: 43.75, lng: 7.44 } }));
    expect(r.json.results).toHaveLength(3);
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await get('/v1/geocode?q=xyzzy')).toEqual({ status: 200, json: { results: [] } });
  });

  it.each([
    ['missing q', '/v1/geocode', 'q'],
    ['blank q', '/v1/geocode?q=%20%20', 'q'],
    ['q over 200 characters', `/v1/geocode?q=${'a'.repeat(201)}`, 'q'],
    ['limit 0', '/v1/geocode?q=rue&limit=0', 'limit'],
    ['limit too large', '/v1/geocode?q=rue&limit=500', 'limit'],
    ['fractional limit', '/v1/geocode?q=rue&limit=2.5', 'limit'],
    ['near not a pair', '/v1/geocode?q=rue&near=43.7', 'near'],
    ['near with a blank half', '/v1/geocode?q=rue&near=43.7,', 'near'],
    ['near out of range', '/v1/geocode?q=rue&near=95,7', 'near.lat'],
    ['missing lat', '/v1/reverse?lng=7.42', 'lat'],
    ['lat not a number', '/v1/reverse?lat=abc&lng=7.42', 'lat'],
    ['lat out of range', '/v1/reverse?lat=91&lng=7.42', 'lat'],
    ['lng infinite', '/v1/reverse?lat=43.7&lng=Infinity', 'lng'],
  ])('400 BAD_REQUEST for %s', async (_what, path, field) => {
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'BAD_REQUEST', details: { field } });
  });

  it('GET /v1/reverse answers the address at a point', async () => {
    const r = await get(`/v1/reverse?lat=${STARS_N_BARS.lat}&lng=${STARS_N_BARS.lng}`);
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ kind: 'address', label: 'Stars n Bars, 6 Quai Antoine 1er, 98000 Monaco', distance: 0 });
  });

  it('GET /v1/reverse answers 404 NOT_FOUND with the standard error body in the sea', async () => {
    const r = await get('/v1/reverse?lat=43.7&lng=7.45');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ error: { code: 'NOT_FOUND', message: 'no address or street within 200 m' } });
  });

  it('needs a token: 401 UNAUTHORIZED without one', async () => {
    for (const path of ['/v1/geocode?q=rue', `/v1/reverse?lat=${STARS_N_BARS.lat}&lng=${STARS_N_BARS.lng}`]) {
      const r = await get(path, { auth: false });
      expect(r.status).toBe(401);
      expect(r.json.error?.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers 404 NOT_FOUND when the gateway has no extract to geocode with', async () => {
    for (const path of ['/v1/geocode?q=rue', '/v1/reverse?lat=43.73&lng=7.42']) {
      const r = await get(path, { base: unconfigured.http });
      expect(r.status).toBe(404);
      expect(r.json.error?.code).toBe('NOT_FOUND');
    }
  });
});
