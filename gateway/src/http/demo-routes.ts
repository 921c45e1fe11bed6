import { randomBytes } from 'node:crypto';
import { demoAssets, type DemoAsset } from '@locus/demo';
import { LocusError } from '@locus/protocol';
import { mintToken } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { demoCarIds } from '../demo/cars.js';
import type { HttpResult, Route } from './http-types.js';
import { parseBody } from './route-helpers.js';
import { etagMatches } from './tile-routes.js';
import { z } from 'zod';

/** Demo viewers get ids of their own shape, so the endpoint never mints a token for a real user. */
const VIEWER_ID = /^viewer-[a-z0-9]{4,16}$/;
const SessionBody = z.object({ user: z.string().regex(VIEWER_ID, 'viewer-<4-16 of a-z 0-9>').optional() }).strict();
/** Long enough for a demo; the page refreshes through the endpoint when the socket warns of expiry. */
const SESSION_TTL_SEC = 3600;
/** Where the map opens when the gateway has no extract (Monaco, the sample data). */
const DEFAULT_CENTER = { lat: 43.7384, lng: 7.4246 };

const STATIC_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The page may load and connect to nothing but this gateway: what "works with no internet" means,
 * enforced by the browser. MapLibre needs blob: workers and data:/blob: images; its controls set
 * inline styles.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function assetRoute(a: DemoAsset): Route {
  const own = a.contentType.startsWith('text/html') ? { ...STATIC_HEADERS, 'content-security-policy': PAGE_CSP } : STATIC_HEADERS;
  return {
    method: 'GET',
    path: a.path,
    auth: false,
    handler(call): HttpResult {
      const { bytes, etag } = a.load();
      const headers = { ...own, etag, 'cache-control': a.cacheControl };
      if (etagMatches(call.headers.ifNoneMatch, etag)) return { status: 304, headers };
      return { status: 200, bytes, headers: { ...headers, 'content-type': a.contentType } };
    },
  };
}

/** Median POI position: the middle of the data, robust to a few far-off features in the extract. */
function centerOf(ctx: GatewayContext): { lat: number; lng: number } {
  const pois = ctx.geo.extract?.pois ?? [];
  if (pois.length === 0) return DEFAULT_CENTER;
  const mid = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { lat: mid(pois.map((p) => p.lat)), lng: mid(pois.map((p) => p.lng)) };
}

/**
 * DEMO ONLY. POST /demo/session `{user?}` → a viewer token, an operator token (for the closure
 * button) and the simulated friends to befriend. It hands out operator rights to anyone, so it
 * exists only with LOCUS_DEMO=on, which the configuration accepts only on the development secret.
 */
function sessionRoute(): Route {
  return {
    method: 'POST',
    path: '/demo/session',
    auth: false,
    body: true,
    maxBody: 1024,
    handler(call): HttpResult {
      const { ctx } = call;
      if (!ctx.config.demo.enabled) {
        throw new LocusError('NOT_FOUND', 'the demo session endpoint is off: start a development gateway with LOCUS_DEMO=on (npm start does)');
      }
      const secret = ctx.config.jwt.secret;
      if (secret === undefined) throw new LocusError('INTERNAL', 'demo enabled without an HS256 secret');
      const body = parseBody(SessionBody, call.body);
      const user = body.user ?? `viewer-${randomBytes(6).toString('hex')}`;
      const center = centerOf(ctx);
      const tiles = ctx.geo.tiles;
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: {
          demoOnly: true,
          user,
          token: mintToken(user, { secret, expiresInSec: SESSION_TTL_SEC }),
          operatorToken: mintToken('demo-operator', { secret, expiresInSec: SESSION_TTL_SEC, roles: ['operator'] }),
          exp: Date.now() + SESSION_TTL_SEC * 1000,
          friends: ctx.config.demo.sim ? demoCarIds(ctx.config.demo.simCars) : [],
          center,
          tiles: tiles ? { minZoom: tiles.minZoom, maxZoom: tiles.maxZoom } : null,
          routing: ctx.routing !== null,
        },
      };
    },
  };
}

/**
 * The browser demo: its static page at / and /demo/*, and the demo-only session endpoint. The
 * gateway depends on the demo package for its files; the page knows the gateway only by its API.
 */
export function demoRoutes(): Route[] {
  return [...demoAssets().map(assetRoute), sessionRoute()];
}
