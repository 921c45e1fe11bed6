import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePolyline, pointsAlong } from '../../gateway/src/testing/car.js';
import type { LocusClient } from './client.js';
import { client, collect, MONACO, startGatewayProcess, uniqueUser, until, type GatewayProcess } from './testing/fixtures.js';

/** West (Fontvieille) to east (Larvotto), as in the gateway's navigation tests. */
const FROM = { lat: 43.7275, lng: 7.415 };
const TO = { lat: 43.748, lng: 7.435 };

/**
 * The SDK against one gateway process with the Monaco extract (its start takes seconds, so one
 * process serves every suite here): the HTTP APIs, and navigation end to end.
 */
let g: GatewayProcess;
let proxy: TcpProxy;
let tiles: string;
beforeAll(async () => {
  tiles = await mkdtemp(join(tmpdir(), 'locus-sdk-nav-tiles-'));
  g = await startGatewayProcess({ LOCUS_ROUTING_TILES_DIR: tiles, LOCUS_RATE_PER_SEC: '2000', LOCUS_RATE_BURST: '2000', LOCUS_NAV_PROGRESS_MS: '200' });
  proxy = new TcpProxy('127.0.0.1', g.port);
  await proxy.start();
}, 90_000);
afterAll(async () => {
  await proxy?.stop();
  await g?.stop();
  if (tiles) await rm(tiles, { recursive: true, force: true });
});

describe('HTTP APIs through the SDK', () => {
  let c: LocusClient;
  beforeAll(async () => {
    c = await client(g.url, uniqueUser('hal'));
  });
  afterAll(() => c?.close());

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

describe('navigation through the SDK', () => {
  let c: LocusClient | undefined;
  afterAll(() => c?.close());

  it('drives a route: progress, resume after a cut connection, arrival', async () => {
    // Batches every minute: while navigating the SDK must send each fix at once anyway.
    c = await client(`ws://127.0.0.1:${proxy.port}/v1/ws`, uniqueUser('nav'), { batchIntervalMs: 60_000 });
    const routes = collect(c, 'navRoute');
    const progress = collect(c, 'navProgress');
    const start = await c.startNavigation({ from: FROM, to: TO });
    expect(start).toMatchObject({ reason: 'start', session: expect.any(String) });
    expect(c.navigation).toBe(start.session);
    const path = pointsAlong(decodePolyline(start.route.polyline), 25);
    const half = Math.floor(path.length / 2);
    for (const p of path.slice(0, half)) c.updateLocation({ ...p, acc: 5 });
    await c.flush();
    await until(() => progress.length > 0, 10_000, 'progress');
    expect(progress.at(-1)!.distance).toBeLessThan(start.distance);

    // Cut the connection: the SDK reconnects and the session resumes where the car is.
    const back = c.next('reconnected');
    await proxy.stop();
    await proxy.start();
    await back;
    await until(() => routes.some((r) => r.reason === 'resumed'), 10_000, 'resumed route');
    const resumed = routes.find((r) => r.reason === 'resumed')!;
    expect(resumed.session).toBe(start.session);
    expect(resumed.distance).toBeLessThan(start.distance * 0.7);
    expect(c.navigation).toBe(start.session);

    const end = c.next('navEnd');
    for (const p of path.slice(half)) c.updateLocation({ ...p, acc: 5 });
    expect(await end).toMatchObject({ reason: 'arrived', session: start.session });
    expect(c.navigation).toBeUndefined();
    expect(routes.filter((r) => !['start', 'resumed', 'state'].includes(r.reason))).toEqual([]);
  }, 60_000);
});
