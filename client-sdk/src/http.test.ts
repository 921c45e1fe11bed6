import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocusClient } from './client.js';
import { client, MONACO, startGatewayProcess, uniqueUser, type GatewayProcess } from './testing/fixtures.js';

/** The HTTP APIs through the SDK, against a gateway process with the Monaco extract (search, geocoding, routing). */
describe('HTTP APIs through the SDK (Monaco gateway process)', () => {
  let g: GatewayProcess;
  let c: LocusClient;
  beforeAll(async () => {
    g = await startGatewayProcess({});
    c = await client(g.url, uniqueUser('hal'));
  }, 60_000);
  afterAll(async () => {
    c?.close();
    await g?.stop();
  });

  it('searches nearby businesses, nearest first, within the radius', async () => {
    const page = await c.searchNearby({ ...MONACO, radius: 800, limit: 5 });
    expect(page.results.length).toBeGreaterThan(0);
    const d = page.results.map((r) => r.distance);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(Math.max(...d)).toBeLessThanOrEqual(800);
    expect(page.results[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), category: expect.any(String) });
  });

  it('geocodes with the connection token, and reverse-geocodes', async () => {
    const results = await c.geocode('Quai Antoine', { limit: 3, near: MONACO });
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.label).toMatch(/Antoine/);
    const back = await c.reverseGeocode(results[0]!.lat, results[0]!.lng);
    expect(back?.label).toEqual(expect.any(String));
    expect(await c.reverseGeocode(0, 0)).toBeNull();
  });

  it('routes with options, and reports failures with the stable code', async () => {
    const r = await c.route({ from: MONACO, to: { lat: 43.7311, lng: 7.4197 }, avoid: { tolls: true }, alternatives: 1 });
    expect(r.routes.length).toBeGreaterThan(0);
    expect(r.routes[0]!.distance).toBeGreaterThan(100);
    expect(r.routes[0]!.maneuvers[0]!.type).toBe('depart');
    await expect(c.route({ from: MONACO, to: { lat: 40, lng: 5 } })).rejects.toMatchObject({ code: 'OFF_MAP', status: 422 });
    await expect(c.searchNearby({ lat: 95, lng: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST', status: 400 });
  });
});
