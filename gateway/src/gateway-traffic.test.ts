import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCaller } from './testing/http-call.js';
import { startTestGateway } from './testing/test-gateway.js';

describe('routing data and live traffic (Monaco)', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  let tiles: string;
  beforeAll(async () => {
    tiles = await mkdtemp(join(tmpdir(), 'locus-gw-tiles-'));
    t = await startTestGateway({ LOCUS_SEED_OSM: new URL('../../data/monaco.osm.pbf', import.meta.url).pathname, LOCUS_ROUTING_TILES_DIR: tiles });
  });
  afterAll(async () => {
    await t.stop();
    await rm(tiles, { recursive: true, force: true });
  });
  const http = httpCaller(() => t.http);
  const op = () => t.token('ops', 3600, ['operator']);

  it('builds the Monaco routing tiles at start and loads the graph from them', () => {
    const r = t.gw.ctx.routing!;
    expect(r.graph.nodeCount).toBeGreaterThan(10_000);
    expect(r.manifest.tiles.length).toBeGreaterThan(3);
    expect(r.tiles.misses).toBe(r.manifest.tiles.length);
  });

  it('accepts a traffic batch by edge and by way + direction, and applies it before answering', async () => {
    const r = t.gw.ctx.routing!;
    const way = r.graph.edgeWay[10]!;
    const res = await http('POST', '/v1/traffic', { token: op(), body: { updates: [{ edge: 5, speed: 0, ttl: 600 }, { way, direction: 'both', speed: 12, ttl: 600 }] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ accepted: 2, trafficVersion: 1 });
    expect(r.traffic.live.speedAt(5, Date.now())).toBe(0);
    expect(r.traffic.live.speedAt(10, Date.now())).toBe(12);
  });

  it('applies a 10k-edge batch', async () => {
    const updates = Array.from({ length: 10_000 }, (_, i) => ({ edge: i, speed: 30, ttl: 60 }));
    const res = await http<{ edges: number; applyMs: number }>('POST', '/v1/traffic', { token: op(), body: { updates } });
    expect(res.status).toBe(200);
    expect(res.json.edges).toBe(10_000);
    expect(typeof res.json.applyMs).toBe('number');
  });

  it('rejects bad batches with 400, non-operators with 403', async () => {
    expect((await http('POST', '/v1/traffic', { token: t.token('nobody'), body: { updates: [{ edge: 1, speed: 1, ttl: 1 }] } })).status).toBe(403);
    for (const updates of [[], [{ edge: 1e9, speed: 1, ttl: 1 }], [{ way: 1, speed: 1, ttl: 1 }], [{ edge: 1, speed: -5, ttl: 1 }], [{ edge: 1, speed: 5 }], [{ edge: 1, way: 2, speed: 5, ttl: 1 }]]) {
      expect(await http('POST', '/v1/traffic', { token: op(), body: { updates } })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    }
    const tooMany = Array.from({ length: 10_001 }, () => ({ edge: 1, speed: 1, ttl: 1 }));
    expect((await http('POST', '/v1/traffic', { token: op(), body: { updates: tooMany } })).status).toBe(400);
  });
});
