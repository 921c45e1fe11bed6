import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpProxy } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePolyline, pointsAlong } from '../../gateway/src/testing/car.js';
import type { LocusClient } from './client.js';
import { client, collect, startGatewayProcess, uniqueUser, until, type GatewayProcess } from './testing/fixtures.js';

/** West (Fontvieille) to east (Larvotto), as in the gateway's navigation tests. */
const FROM = { lat: 43.7275, lng: 7.415 };
const TO = { lat: 43.748, lng: 7.435 };

/** Navigation through the SDK against a real gateway process with the Monaco extract. */
describe('navigation through the SDK (Monaco gateway process)', () => {
  let g: GatewayProcess;
  let proxy: TcpProxy;
  let tiles: string;
  let c: LocusClient | undefined;
  beforeAll(async () => {
    tiles = await mkdtemp(join(tmpdir(), 'locus-sdk-nav-tiles-'));
    g = await startGatewayProcess({ LOCUS_ROUTING_TILES_DIR: tiles, LOCUS_RATE_PER_SEC: '2000', LOCUS_RATE_BURST: '2000', LOCUS_NAV_PROGRESS_MS: '200' });
    proxy = new TcpProxy('127.0.0.1', g.port);
    await proxy.start();
  }, 90_000);
  afterAll(async () => {
    c?.close();
    await proxy?.stop();
    await g?.stop();
    if (tiles) await rm(tiles, { recursive: true, force: true });
  });

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
