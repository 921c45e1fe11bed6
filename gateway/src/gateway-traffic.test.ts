import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCaller } from './testing/http-call.js';
import { startTestGateway } from './testing/test-gateway.js';

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/**
 * A Monaco gateway (routing tiles built into a temporary directory) for one describe block: each block
 * gets its own, so the traffic one block posts never changes another block's routes.
 */
function monacoGateway(set: (g: TestGateway) => void): void {
  let g: TestGateway;
  let tiles: string;
  beforeAll(async () => {
    tiles = await mkdtemp(join(tmpdir(), 'locus-gw-tiles-'));
    g = await startTestGateway({ LOCUS_SEED_OSM: new URL('../../data/monaco.osm.pbf', import.meta.url).pathname, LOCUS_ROUTING_TILES_DIR: tiles });
    set(g);
  });
  afterAll(async () => {
    await g.stop();
    await rm(tiles, { recursive: true, force: true });
  });
}

describe('routing data and live traffic (Monaco)', () => {
  let t: TestGateway;
  monacoGateway((g) => (t = g));
  const http = httpCaller(() => t.http);
  const op = () => t.token('ops', 3600, ['operator']);

  it('builds the Monaco routing tiles at start and loads the graph from them (a city: every tile at start)', () => {
    const r = t.gw.ctx.routing!;
    expect(r.graph.nodeCount).toBeGreaterThan(10_000);
    expect(r.graph.lazy).toBeUndefined();
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

describe('GET /v1/route (Monaco)', () => {
  let t: TestGateway;
  monacoGateway((g) => (t = g));
  const http = httpCaller(() => t.http);
  interface Body {
    routes: { distance: number; duration: number; polyline: string; geometry: { coordinates: [number, number][] }; maneuvers: { instruction: string; type: string }[] }[];
    graphVersion: string;
    trafficVersion: number;
  }
  // Port Hercule to the Casino, and to Fontvieille.
  const PORT = '43.7347,7.4206';
  const CASINO = '43.7394,7.4283';
  const FONTVIEILLE = '43.7285,7.4150';

  it('routes with geometry, polyline, ETA, maneuvers with street names, and versions', async () => {
    const r = await http<Body>('GET', `/v1/route?from=${PORT}&to=${CASINO}`);
    expect(r.status).toBe(200);
    const route = r.json.routes[0]!;
    expect(route.distance).toBeGreaterThan(500);
    expect(route.distance).toBeLessThan(5000);
    expect(route.duration).toBeGreaterThan(30);
    expect(route.geometry.coordinates.length).toBeGreaterThan(5);
    expect(route.polyline.length).toBeGreaterThan(10);
    expect(route.maneuvers[0]!.type).toBe('depart');
    expect(route.maneuvers.at(-1)!.type).toBe('arrive');
    expect(route.maneuvers.some((m) => / onto \S/.test(m.instruction))).toBe(true);
    expect(r.json.graphVersion).toMatch(/^g/);
  });

  it('offers alternatives and honours via points', async () => {
    const alt = await http<Body>('GET', `/v1/route?from=${FONTVIEILLE}&to=${CASINO}&alternatives=2`);
    expect(alt.status).toBe(200);
    expect(alt.json.routes.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < alt.json.routes.length; i++) expect(alt.json.routes[i]!.duration).toBeGreaterThanOrEqual(alt.json.routes[0]!.duration * 0.999);
    const via = await http<Body>('GET', `/v1/route?from=${FONTVIEILLE}&to=${CASINO}&via=${PORT}`);
    const direct = await http<Body>('GET', `/v1/route?from=${FONTVIEILLE}&to=${CASINO}`);
    expect(via.json.routes[0]!.distance).toBeGreaterThanOrEqual(direct.json.routes[0]!.distance);
  });

  it('a closure on the route is seen by the next query: the route changes or gets longer', async () => {
    const before = await http<Body & { routes: { edges?: number[] }[] }>('GET', `/v1/route?from=${PORT}&to=${CASINO}`);
    const routing = t.gw.ctx.routing!;
    // Close every edge under the middle of the route's geometry (both directions of that way).
    const mid = before.json.routes[0]!.geometry.coordinates[Math.floor(before.json.routes[0]!.geometry.coordinates.length / 2)]!;
    const g = routing.graph;
    const snap = routing.snapper.snap(mid[1], mid[0], 50)!;
    // That segment, both directions.
    const closed = [snap.edge];
    const [a, b] = [g.edgeSource[snap.edge]!, g.edgeTarget[snap.edge]!];
    g.lazy?.ensure(b);
    for (let e = g.firstOut[b]!; e < g.firstOut[b + 1]!; e++) if (g.edgeTarget[e] === a) closed.push(e);
    expect(closed.length).toBe(2);
    const op = t.token('ops', 3600, ['operator']);
    expect((await http('POST', '/v1/traffic', { token: op, body: { updates: closed.map((edge) => ({ edge, speed: 0, ttl: 600 })) } })).status).toBe(200);
    const after = await http<Body>('GET', `/v1/route?from=${PORT}&to=${CASINO}`);
    expect(after.status).toBe(200);
    expect(after.json.trafficVersion).toBe(before.json.trafficVersion + 1);
    expect(after.json.routes[0]!.polyline).not.toBe(before.json.routes[0]!.polyline);
  });

  it('answers bad coordinates with 400 and points off the map with OFF_MAP', async () => {
    expect(await http('GET', `/v1/route?from=91,7&to=${CASINO}`)).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST', details: { field: 'from' } } } });
    expect(await http('GET', `/v1/route?to=${CASINO}`)).toMatchObject({ status: 400 });
    expect(await http('GET', `/v1/route?from=${PORT}&to=${CASINO}&avoid=bridges`)).toMatchObject({ status: 400 });
    expect(await http('GET', `/v1/route?from=${PORT}&to=${CASINO}&alternatives=7`)).toMatchObject({ status: 400 });
    expect(await http('GET', `/v1/route?from=${PORT}&to=48.85,2.35`)).toMatchObject({ status: 422, json: { error: { code: 'OFF_MAP' } } });
  });

  it('avoid=tolls as a hard exclusion: the A8 toll section is never driven', async () => {
    const g = t.gw.ctx.routing!.graph;
    const tollEdges = (edges: number[]) => edges.filter((e) => (g.edgeFlags[e]! & 1) !== 0).length;
    // From the A8 toll motorway west of Monaco: the fastest route stays on it…
    const q = `from=43.7440,7.3490&to=${CASINO}`;
    type Routed = Body & { routes: { edges: number[] }[]; snapped: { distance: number }[] };
    const fastest = await http<Routed>('GET', `/v1/route?${q}`);
    expect(fastest.status).toBe(200);
    expect(tollEdges(fastest.json.routes[0]!.edges)).toBeGreaterThan(0);
    // …and with tolls excluded the origin snaps to the nearest toll-free road instead, and no toll is driven.
    const avoided = await http<Routed>('GET', `/v1/route?${q}&avoid=tolls`);
    expect(avoided.status).toBe(200);
    expect(tollEdges(avoided.json.routes[0]!.edges)).toBe(0);
    expect(avoided.json.snapped[0]!.distance).toBeGreaterThan(fastest.json.snapped[0]!.distance);
    expect(avoided.json.snapped[0]!.distance).toBeLessThanOrEqual(500);
    // A route that needs no toll is unchanged by the exclusion.
    const plain = await http<Body & { routes: { edges: number[] }[] }>('GET', `/v1/route?from=${PORT}&to=${CASINO}`);
    const avoiding = await http<Body & { routes: { edges: number[] }[] }>('GET', `/v1/route?from=${PORT}&to=${CASINO}&avoid=tolls`);
    expect(avoiding.json.routes[0]!.edges).toEqual(plain.json.routes[0]!.edges);
  });

});

describe('GET /v1/route from a closed road (Monaco)', () => {
  let t: TestGateway;
  monacoGateway((g) => (t = g));
  const http = httpCaller(() => t.http);
  type Routed = { routes: { edges: number[] }[]; snapped: { lat: number; lng: number; distance: number }[] };

  it('an origin on a closed street starts from the nearest open road', async () => {
    // On a two-way street by the Casino, to Port Hercule.
    const from = '43.7394,7.4283';
    const to = '43.7347,7.4206';
    const before = await http<Routed>('GET', `/v1/route?from=${from}&to=${to}`);
    expect(before.status).toBe(200);
    const r = t.gw.ctx.routing!;
    const g = r.graph;
    const [lat, lng] = from.split(',').map(Number) as [number, number];
    const snap = r.snapper.snap(lat, lng, 500)!;
    // Close the snapped street, both directions.
    const closed = [snap.edge];
    const [a, b] = [g.edgeSource[snap.edge]!, g.edgeTarget[snap.edge]!];
    g.lazy?.ensure(b);
    for (let e = g.firstOut[b]!; e < g.firstOut[b + 1]!; e++) if (g.edgeTarget[e] === a) closed.push(e);
    expect(closed.length).toBe(2);
    const op = t.token('ops', 3600, ['operator']);
    expect((await http('POST', '/v1/traffic', { token: op, body: { updates: closed.map((edge) => ({ edge, speed: 0, ttl: 600 })) } })).status).toBe(200);
    const after = await http<Routed>('GET', `/v1/route?from=${from}&to=${to}`);
    expect(after.status).toBe(200);
    expect(after.json.snapped[0]!.distance).toBeGreaterThanOrEqual(before.json.snapped[0]!.distance);
    expect(after.json.snapped[0]).not.toEqual(before.json.snapped[0]);
    for (const e of closed) expect(after.json.routes[0]!.edges).not.toContain(e);
  });
});
