import { LocusError } from '@locus/protocol';
// Relative: @locus/geo does not re-export the geocoder from its index yet.
import {
  GEOCODE_DEFAULT_LIMIT,
  GEOCODE_MAX_LIMIT,
  GEOCODE_STREET_RADIUS_M,
  type GeocodeIndex,
} from '../../../geo/src/geocode/index.js';
import type { HttpCall, Route } from './http-types.js';
import { numberParam } from './route-helpers.js';

/**
 * The index, or a getter for it: the gateway reads its OSM extract in start(), after routes are
 * mounted, so it passes `() => index` (null = no extract configured).
 */
export type GeocoderSource = GeocodeIndex | (() => GeocodeIndex | null);

function geocoder(source: GeocoderSource): GeocodeIndex {
  const index = typeof source === 'function' ? source() : source;
  // Without an extract there is nothing to geocode: the endpoints behave as if absent.
  if (!index) throw new LocusError('NOT_FOUND', 'geocoding is not available: no OSM extract configured');
  return index;
}

/** `near=lat,lng` → point (ranges are checked by the index); absent → undefined. */
function nearParam(call: HttpCall): { lat: number; lng: number } | undefined {
  const raw = call.query.get('near');
  if (raw === null || raw.trim() === '') return undefined;
  const parts = raw.split(',');
  const lat = Number(parts[0]);
  const lng = Number(parts[1]);
  // Number('') is 0: require both halves to be present.
  if (parts.length !== 2 || parts.some((p) => p.trim() === '') || !Number.isFinite(lat) || !Number.isFinite(lng)) {
    throw new LocusError('BAD_REQUEST', 'near: "lat,lng", e.g. near=43.7384,7.4246', { field: 'near' });
  }
  return { lat, lng };
}

/**
 * GET /v1/geocode?q=&limit=&near=lat,lng → {results: [...]}, best first (empty when nothing matches).
 * GET /v1/reverse?lat=&lng= → {result}, or 404 NOT_FOUND when no address or street is near.
 * Both need a token (default auth), like the rest of /v1.
 */
export function geocodeRoutes(source: GeocoderSource): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/geocode',
      handler(call) {
        const index = geocoder(source);
        const q = call.query.get('q');
        if (q === null || q.trim() === '') throw new LocusError('BAD_REQUEST', 'q is required', { field: 'q' });
        const limit = numberParam(call, 'limit', GEOCODE_DEFAULT_LIMIT, 1, GEOCODE_MAX_LIMIT);
        if (!Number.isInteger(limit)) throw new LocusError('BAD_REQUEST', `limit: an integer in [1, ${GEOCODE_MAX_LIMIT}]`, { field: 'limit' });
        const near = nearParam(call);
        const results = index.forward(q, { limit, ...(near ? { near } : {}) });
        return { status: 200, body: { results } };
      },
    },
    {
      method: 'GET',
      path: '/v1/reverse',
      handler(call) {
        const index = geocoder(source);
        const lat = numberParam(call, 'lat', undefined, -90, 90);
        const lng = numberParam(call, 'lng', undefined, -180, 180);
        const result = index.reverse(lat, lng);
        if (!result) throw new LocusError('NOT_FOUND', `no address or street within ${GEOCODE_STREET_RADIUS_M} m`);
        return { status: 200, body: { result } };
      },
    },
  ];
}
