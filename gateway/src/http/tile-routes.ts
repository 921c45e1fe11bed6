import { LocusError } from '@locus/protocol';
import type { HttpCall, HttpResult, Route } from './http-types.js';

/**
 * What the routes use of the tile service. Structural, so geo's TileService fits as it is and the
 * gateway needs no import from inside geo; tests can pass a stand-in.
 */
export interface TileProvider {
  /** Served zoom range (10..18 for geo's TileService). */
  readonly minZoom: number;
  readonly maxZoom: number;
  /** Encoded tile and its quoted strong ETag, or null when the tile is empty. */
  getTile(z: number, x: number, y: number): { bytes: Uint8Array; etag: string } | null;
  /** The slippy-map tile holding (lat, lng) at `zoom`. */
  address(lat: number, lng: number, zoom: number): { z: number; x: number; y: number };
}

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Tiles change only when the data is rebuilt: a day fresh, then served stale for up to a week while
 * a CDN or browser revalidates in the background (the ETag turns that into a 304). Public and open
 * to any origin: the tiles hold only OSM data, and map clients fetch them cross-origin.
 */
const TILE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'public, max-age=86400, stale-while-revalidate=604800',
  'access-control-allow-origin': '*',
};

/**
 * Decimal integers without sign or leading zeros: one URL per tile, so a CDN never caches
 * "014/…" beside "14/…". Nine digits at most keeps parsing exact (2^18 tiles a side needs six).
 */
const PATH_INT = /^(?:0|[1-9]\d{0,8})$/;
/** uWS has no "parameter + literal suffix" patterns (`:y.mvt` names a parameter "y.mvt"), so the last segment is parsed here. */
const TILE_FILE = /^(0|[1-9]\d{0,8})\.mvt$/;

export function tileUrl(z: number, x: number, y: number): string {
  return `/v1/tiles/${z}/${x}/${y}.mvt`;
}

function bad(field: string, message: string): LocusError {
  return new LocusError('BAD_REQUEST', `${field}: ${message}`, { field });
}

function pathInt(raw: string | undefined, field: string): number {
  if (raw === undefined || !PATH_INT.test(raw)) throw bad(field, 'must be a non-negative integer');
  return Number(raw);
}

function tileY(raw: string | undefined): number {
  const m = TILE_FILE.exec(raw ?? '');
  if (!m?.[1]) throw bad('y', 'the last segment must be {y}.mvt with an integer y');
  return Number(m[1]);
}

function queryNumber(call: HttpCall, name: string, min: number, max: number): number {
  const raw = call.query.get(name);
  if (raw === null || raw.trim() === '') throw bad(name, 'required');
  const v = Number(raw);
  if (!Number.isFinite(v)) throw bad(name, 'must be a number');
  if (v < min || v > max) throw bad(name, `must be ${min}..${max}`);
  return v;
}

/**
 * If-None-Match (RFC 9110 §13.1.2): `*` or a list of entity tags compared weakly (a `W/` prefix is
 * ignored). Our ETags hold no commas or quotes inside, so splitting on commas is exact.
 */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const header = ifNoneMatch.trim();
  if (header === '') return false;
  if (header === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Public vector-tile endpoints (no token: tiles are CDN-cacheable OSM data).
 *
 * `tiles` is the service, or a getter for one: the gateway mounts routes before start() reads the
 * OSM extract, so the service may only exist later. While there is none (no extract configured),
 * both endpoints answer 404 NOT_FOUND.
 *
 * A zoom outside the served range is 400 BAD_REQUEST, not 404: the served range is part of the API
 * contract (map clients are configured with it and overzoom past maxZoom), so asking outside it is
 * a client error like x ≥ 2^z, and a 404 would suggest the tile might exist some other time.
 */
export function tileRoutes(tiles: TileProvider | (() => TileProvider | null)): Route[] {
  const current = typeof tiles === 'function' ? tiles : (): TileProvider => tiles;
  const service = (): TileProvider => {
    const t = current();
    if (!t) throw new LocusError('NOT_FOUND', 'this gateway serves no map tiles (no OSM extract configured)');
    return t;
  };
  const zoomRange = (t: TileProvider): string => `must be an integer ${t.minZoom}..${t.maxZoom}`;
  return [
    {
      method: 'GET',
      path: '/v1/tiles/url',
      auth: false,
      handler(call): HttpResult {
        const t = service();
        const lat = queryNumber(call, 'lat', -90, 90);
        const lng = queryNumber(call, 'lng', -180, 180);
        const zoom = queryNumber(call, 'zoom', t.minZoom, t.maxZoom);
        if (!Number.isInteger(zoom)) throw bad('zoom', zoomRange(t));
        const { z, x, y } = t.address(lat, lng, zoom);
        return { status: 200, body: { z, x, y, url: tileUrl(z, x, y) } };
      },
    },
    {
      method: 'GET',
      path: '/v1/tiles/:z/:x/:file',
      auth: false,
      handler(call): HttpResult {
        const t = service();
        const z = pathInt(call.params.z, 'z');
        if (z < t.minZoom || z > t.maxZoom) throw bad('z', zoomRange(t));
        const x = pathInt(call.params.x, 'x');
        const y = tileY(call.params.file);
        const n = 2 ** z;
        if (x >= n) throw bad('x', `must be 0..${n - 1} at zoom ${z}`);
        if (y >= n) throw bad('y', `must be 0..${n - 1} at zoom ${z}`);
        const tile = t.getTile(z, x, y);
        // An empty tile is a normal answer over sea or outside the extract; cacheable like the rest.
        if (!tile) return { status: 204, headers: { ...TILE_HEADERS } };
        const headers = { ...TILE_HEADERS, etag: tile.etag };
        if (etagMatches(call.headers.ifNoneMatch, tile.etag)) return { status: 304, headers };
        return { status: 200, bytes: tile.bytes, headers: { ...headers, 'content-type': MVT_CONTENT_TYPE } };
      },
    },
  ];
}
