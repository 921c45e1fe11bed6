import { CATEGORY_PATTERN } from '@locus/geo';
import { LocusError } from '@locus/protocol';
import type { Route } from './http-types.js';
import { numberParam } from './route-helpers.js';

/** Largest search radius (metres): the proximity service answers local questions. */
export const MAX_SEARCH_RADIUS_M = 50_000;

function boolParam(raw: string | null, name: string): boolean {
  if (raw === null || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new LocusError('BAD_REQUEST', `${name}: true or false`, { field: name });
}

/** GET /v1/search/nearby — public, like the design notes' proximity API. */
export const searchRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/search/nearby',
    auth: false,
    async handler(call) {
      const lat = numberParam(call, 'lat', undefined, -90, 90);
      const lng = numberParam(call, 'lng', undefined, -180, 180);
      const radius = numberParam(call, 'radius', 1000, 0, MAX_SEARCH_RADIUS_M);
      const limit = numberParam(call, 'limit', 20, 1, 100);
      if (!Number.isInteger(limit)) throw new LocusError('BAD_REQUEST', 'limit: an integer in [1, 100]', { field: 'limit' });
      const category = call.query.get('category') ?? undefined;
      if (category !== undefined && !CATEGORY_PATTERN.test(category)) {
        throw new LocusError('BAD_REQUEST', 'category: 1-64 of a-z 0-9 _', { field: 'category' });
      }
      const openNow = boolParam(call.query.get('open_now'), 'open_now');
      const cursor = call.query.get('cursor') ?? undefined;
      const page = await call.ctx.geo.directory.search({
        lat,
        lng,
        radius,
        limit,
        openNow,
        ...(category !== undefined ? { category } : {}),
        ...(cursor !== undefined && cursor !== '' ? { cursor } : {}),
      });
      return {
        status: 200,
        body: {
          results: page.results.map((r) => ({ ...r.business, distance: Math.round(r.distance * 100) / 100 })),
          ...(page.next !== undefined ? { next: page.next } : {}),
        },
      };
    },
  },
];
