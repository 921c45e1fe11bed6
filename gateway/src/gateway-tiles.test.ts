import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOsmExtract } from '@locus/geo';
// Relative: @locus/geo does not export the tiles from its index yet; decode-mvt is a test helper.
import { decodeMvt } from '../../geo/src/tiles/decode-mvt.js';
import { buildTileSource, TileService, tileAddress } from '../../geo/src/tiles/index.js';
import { loadConfig } from './config.js';
import { MVT_CONTENT_TYPE, etagMatches, tileRoutes } from './http/tile-routes.js';
import { mountRoutes } from './http/router.js';
import { createLogger } from './logger.js';
import { createGateway } from './server.js';
import { uws, type us_listen_socket } from './uws.js';

const MONACO_PBF = fileURLToPath(new URL('../../data/monaco.osm.pbf', import.meta.url));
const CASINO = { lat: 43.7392, lng: 7.4277 };
const CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800';

/**
 * The tile routes through the real router on their own uWS app (server.ts does not mount them yet):
 * same request reading, error path and response writing as the gateway, over real HTTP. The context
 * is a real gateway's (created, never started), so it keeps up with whatever the context holds.
 */
async function serveTiles(tiles: Parameters<typeof tileRoutes>[0]): Promise<{ http: string; port: number; stop: () => void }> {
  const config = loadConfig({ LOCUS_HOST: '127.0.0.1', LOCUS_PORT: '0', LOCUS_LOG_LEVEL: 'silent' });
  const { ctx } = createGateway(config, createLogger(config.logLevel, 'test'));
  const app = uws.App();
  mountRoutes(app, ctx, tileRoutes(tiles));
  const socket = await new Promise<us_listen_socket>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('cannot listen')))),
  );
  const port = uws.us_socket_local_port(socket);
  return { http: `http://127.0.0.1:${port}`, port, stop: () => uws.us_listen_socket_close(socket) };
}

/**
 * Raw HTTP/1.1 requests pipelined on one socket, for responses without a body: the exact head bytes,
 * and proof the connection stays usable after each.
 */
function rawBodiless(port: number, requests: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.write(requests.join('')));
    let got = '';
    c.setEncoding('latin1');
    c.on('data', (d: string) => {
      got += d;
      const heads = got.split('\r\n\r\n');
      if (heads.length > requests.length) {
        c.destroy();
        resolve(heads.slice(0, requests.length));
      }
    });
    c.on('error', reject);
    setTimeout(() => {
      c.destroy();
      reject(new Error(`timed out; got ${JSON.stringify(got)}`));
    }, 5000).unref();
  });
}

describe('tile routes', () => {
  let tiles: TileService;
  let srv: Awaited<ReturnType<typeof serveTiles>>;
  const casino = tileAddress(CASINO.lat, CASINO.lng, 15);
  const casinoPath = `/v1/tiles/${casino.z}/${casino.x}/${casino.y}.mvt`;

  beforeAll(async () => {
    tiles = new TileService(buildTileSource(await readOsmExtract(MONACO_PBF)));
    srv = await serveTiles(tiles);
  });
  afterAll(() => srv.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(srv.http + path, { headers });
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  it('GET /v1/tiles/z/x/y.mvt answers 200 with the MVT bytes and cache headers', async () => {
    const res = await get(casinoPath);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(MVT_CONTENT_TYPE);
    expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const tile = tiles.getTile(casino.z, casino.x, casino.y)!;
    expect(res.headers.get('etag')).toBe(tile.etag);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes).equals(Buffer.from(tile.bytes))).toBe(true);
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const layers = decodeMvt(bytes, casino.z, casino.x, casino.y);
    expect(layers.roads?.features.length).toBeGreaterThan(0);
    expect(layers.pois?.features.length).toBeGreaterThan(0);
  });

  it('answers 304 without a body when If-None-Match holds the ETag', async () => {
    const etag = tiles.getTile(casino.z, casino.x, casino.y)!.etag;
    for (const inm of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
      const res = await get(casinoPath, { 'if-none-match': inm });
      expect(res.status, inm).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
    expect((await get(casinoPath, { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('answers 204 with cache headers for an empty tile in range', async () => {
    const res = await get('/v1/tiles/14/0/0.mvt');
    expect(res.status).toBe(204);
    expect(res.headers.get('cache-control')).toBe(CACHE_CONTROL);
    expect(res.headers.get('etag')).toBeNull();
  });

  it('writes 204 and 304 without content-length and keeps the connection open', async () => {
    const etag = tiles.getTile(casino.z, casino.x, casino.y)!.etag;
    const empty = 'GET /v1/tiles/14/0/0.mvt HTTP/1.1\r\nhost: t\r\n\r\n';
    const conditional = `GET ${casinoPath} HTTP/1.1\r\nhost: t\r\nif-none-match: ${etag}\r\n\r\n`;
    const heads = await rawBodiless(srv.port, [empty, conditional, empty]);
    expect(heads.map((h) => h.split('\r\n')[0])).toEqual(['HTTP/1.1 204 No Content', 'HTTP/1.1 304 Not Modified', 'HTTP/1.1 204 No Content']);
    for (const h of heads) expect(h.toLowerCase()).not.toContain('content-length');
  });

  it.each([
    ['x out of range', `/v1/tiles/15/${2 ** 15}/0.mvt`, 'x'],
    ['y out of range', `/v1/tiles/15/0/${2 ** 15}.mvt`, 'y'],
    ['z above the served range', '/v1/tiles/25/0/0.mvt', 'z'],
    ['z below the served range', '/v1/tiles/9/0/0.mvt', 'z'],
    ['z not a number', '/v1/tiles/a/0/0.mvt', 'z'],
    ['y with another extension', '/v1/tiles/15/0/3.png', 'y'],
    ['y without extension', '/v1/tiles/15/0/3', 'y'],
    ['negative x', '/v1/tiles/15/-1/0.mvt', 'x'],
    ['fractional z', '/v1/tiles/14.5/0/0.mvt', 'z'],
    ['leading zero', '/v1/tiles/015/0/0.mvt', 'z'],
    ['huge x', '/v1/tiles/15/99999999999999999999/0.mvt', 'x'],
  ])('400 BAD_REQUEST for %s', async (_what, path, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBeNull();
    const err = await errorCode(res);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message.startsWith(`${field}:`)).toBe(true);
  });

  it('GET /v1/tiles/url gives the tile address and its URL', async () => {
    const res = await get(`/v1/tiles/url?lat=${CASINO.lat}&lng=${CASINO.lng}&zoom=15`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...casino, url: casinoPath });
    // The URL it gives is one the tile route serves.
    expect((await get(casinoPath)).status).toBe(200);
    const edge = await (await get('/v1/tiles/url?lat=90&lng=180&zoom=10')).json();
    expect(edge).toEqual({ z: 10, x: 1023, y: 0, url: '/v1/tiles/10/1023/0.mvt' });
  });

  it.each([
    ['lat=43.7&lng=7.4', 'zoom'],
    ['lng=7.4&zoom=14', 'lat'],
    ['lat=abc&lng=7.4&zoom=14', 'lat'],
    ['lat=&lng=7.4&zoom=14', 'lat'],
    ['lat=91&lng=7.4&zoom=14', 'lat'],
    ['lat=43.7&lng=-181&zoom=14', 'lng'],
    ['lat=43.7&lng=Infinity&zoom=14', 'lng'],
    ['lat=43.7&lng=7.4&zoom=14.5', 'zoom'],
    ['lat=43.7&lng=7.4&zoom=19', 'zoom'],
    ['lat=43.7&lng=7.4&zoom=9', 'zoom'],
  ])('/v1/tiles/url?%s is 400 on %s', async (query, field) => {
    const res = await get(`/v1/tiles/url?${query}`);
    expect(res.status).toBe(400);
    const err = await errorCode(res);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message.startsWith(`${field}:`)).toBe(true);
  });

  it('needs no token, and other paths under /v1/tiles are 404', async () => {
    expect((await get(casinoPath, { authorization: 'Bearer nonsense' })).status).toBe(200);
    expect((await get('/v1/tiles/15/0')).status).toBe(404);
    expect((await get('/v1/tiles/15/0/0/0.mvt')).status).toBe(404);
  });

  it('serves repeats from the cache', async () => {
    const hits = tiles.hits;
    await (await get(casinoPath)).arrayBuffer();
    expect(tiles.hits).toBe(hits + 1);
  });
});

describe('tile routes without map data', () => {
  let srv: Awaited<ReturnType<typeof serveTiles>>;
  let tiles: TileService | null = null;

  beforeAll(async () => {
    // A getter, as server.ts can use it: the service appears once start() has read the extract.
    srv = await serveTiles(() => tiles);
  });
  afterAll(() => srv.stop());

  it('answers 404 NOT_FOUND until a tile service exists, then serves', async () => {
    for (const path of ['/v1/tiles/14/8529/5974.mvt', '/v1/tiles/url?lat=43.7&lng=7.4&zoom=14']) {
      const res = await fetch(srv.http + path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    tiles = new TileService(buildTileSource({ roads: [], pois: [] }));
    expect((await fetch(`${srv.http}/v1/tiles/14/8529/5974.mvt`)).status).toBe(204);
  });
});

describe('etagMatches', () => {
  it('follows If-None-Match list and weak comparison rules', () => {
    expect(etagMatches('', '"a"')).toBe(false);
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches(' "b" ,  "a" ', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"ab"', '"a"')).toBe(false);
    expect(etagMatches('a', '"a"')).toBe(false);
  });
});
