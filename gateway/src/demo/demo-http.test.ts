import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '../auth.js';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../config.js';
import { httpCaller } from '../testing/http-call.js';
import { startTestGateway } from '../testing/test-gateway.js';

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

describe('demo page and session endpoint (HTTP)', () => {
  let on: TestGateway;
  let off: TestGateway;
  beforeAll(async () => {
    on = await startTestGateway({ LOCUS_DEMO: 'on' });
    off = await startTestGateway();
  });
  afterAll(async () => {
    await on.stop();
    await off.stop();
  });
  const httpOn = httpCaller(() => on.http);
  const httpOff = httpCaller(() => off.http);

  it('serves the page at / with its content type, a strong ETag and no-cache; 304 on If-None-Match', async () => {
    for (const http of [httpOn, httpOff]) {
      const res = await http('GET', '/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(res.text).toContain('<script type="module" src="/demo/app.js">');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await http('GET', '/', { headers: { 'if-none-match': `"other", ${etag}` } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
    }
  });

  it('serves the scripts as JavaScript modules and MapLibre from node_modules, cacheable', async () => {
    const app = await httpOff('GET', '/demo/app.js');
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const lib = await httpOff('GET', '/demo/vendor/maplibre-gl.mjs');
    expect(lib.status).toBe(200);
    expect(lib.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(lib.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(lib.text.length).toBeGreaterThan(100_000);
    // MapLibre loads its worker from beside itself, with a version query.
    expect((await httpOff('GET', '/demo/vendor/maplibre-gl-worker.mjs?v=1')).status).toBe(200);
    expect((await httpOff('GET', '/demo/vendor/maplibre-gl.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await httpOff('GET', '/demo/nope.js')).status).toBe(404);
    expect((await httpOff('GET', '/demo/../package.json')).status).toBe(404);
  });

  it('POST /demo/session is 404 unless LOCUS_DEMO=on', async () => {
    const res = await httpOff('POST', '/demo/session', { body: {} });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('mints a viewer token and an operator token the gateway accepts, never cached', async () => {
    const res = await httpOn<{ user: string; token: string; operatorToken: string; friends: string[]; center: { lat: number; lng: number }; demoOnly: boolean }>(
      'POST',
      '/demo/session',
      { body: {} },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.demoOnly).toBe(true);
    expect(res.json.user).toMatch(/^viewer-[a-z0-9]+$/);
    expect(res.json.friends).toEqual([]); // no simulator on this gateway
    const verifier = new TokenVerifier({ secret: DEV_JWT_SECRET, devSecret: true });
    expect(verifier.verify(res.json.token)).toMatchObject({ user: res.json.user, roles: [] });
    expect(verifier.verify(res.json.operatorToken)).toMatchObject({ user: 'demo-operator', roles: ['operator'] });
    const me = await httpOn('GET', '/v1/me', { token: res.json.token });
    expect(me.status).toBe(200);
    // The same viewer again (the page keeps its id across reloads).
    const again = await httpOn<{ user: string }>('POST', '/demo/session', { body: { user: res.json.user } });
    expect(again.json.user).toBe(res.json.user);
  });

  it('rejects user ids that are not demo viewers, and bad bodies', async () => {
    for (const body of [{ user: 'alice' }, { user: 'viewer-' }, { user: 'viewer-ABC123' }, { user: 42 }, { extra: 1 }, []]) {
      expect(await httpOn('POST', '/demo/session', { body })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    }
    expect((await httpOn('POST', '/demo/session', { raw: 'user=x', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await httpOn('POST', '/demo/session', { raw: '{', type: 'application/json' })).status).toBe(400);
  });
});

describe('demo configuration', () => {
  it('is off by default', () => {
    expect(loadConfig({ LOCUS_SEED_OSM: '' }).demo).toEqual({ enabled: false, sim: false, simCars: 4, simTickMs: 1000 });
  });

  it('refuses LOCUS_DEMO=on with a real key: the endpoint mints operator tokens for anyone', () => {
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'on', LOCUS_JWT_SECRET: 'a-real-secret-of-enough-length' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'on', LOCUS_JWT_SECRET: 'a-real-secret-of-enough-length' })).toThrow(/LOCUS_DEMO/);
  });

  it('auto (npm start) is on with the development secret and off with a real one', () => {
    expect(loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'auto', LOCUS_DEMO_SIM: 'auto' }).demo).toMatchObject({ enabled: true, sim: true });
    const real = loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'auto', LOCUS_DEMO_SIM: 'auto', LOCUS_JWT_SECRET: 'a-real-secret-of-enough-length' });
    expect(real.demo).toMatchObject({ enabled: false, sim: false });
    expect(loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'auto', LOCUS_DEMO_SIM: 'off' }).demo).toMatchObject({ enabled: true, sim: false });
  });

  it('needs LOCUS_DEMO=on for the simulator, and checks its numbers', () => {
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO_SIM: 'on' })).toThrow(/LOCUS_DEMO_SIM/);
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'yes' })).toThrow(/LOCUS_DEMO/);
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'on', LOCUS_DEMO_SIM: 'on', LOCUS_DEMO_SIM_CARS: '0' })).toThrow(/LOCUS_DEMO_SIM_CARS/);
    expect(() => loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'on', LOCUS_DEMO_SIM: 'on', LOCUS_DEMO_SIM_TICK_MS: '5' })).toThrow(/LOCUS_DEMO_SIM_TICK_MS/);
    expect(loadConfig({ LOCUS_SEED_OSM: '', LOCUS_DEMO: 'on', LOCUS_DEMO_SIM: 'on', LOCUS_DEMO_SIM_CARS: '7' }).demo).toMatchObject({ enabled: true, sim: true, simCars: 7 });
  });
});
