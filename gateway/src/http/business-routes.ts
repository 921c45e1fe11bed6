import { BUSINESS_ID_PATTERN, BusinessInput, type Business } from '@locus/geo';
import { LocusError } from '@locus/protocol';
import { z } from 'zod';
import type { HttpCall, HttpResult, Route } from './http-types.js';
import { ifMatchVersion, parseBody, requireRole } from './route-helpers.js';

const CreateBody = BusinessInput.extend({ id: z.string().regex(BUSINESS_ID_PATTERN, 'id: 1-128 of A-Z a-z 0-9 _ . @ : -').optional() });

function idParam(call: HttpCall): string {
  const id = call.params.id ?? '';
  if (!BUSINESS_ID_PATTERN.test(id)) throw new LocusError('BAD_REQUEST', 'id: not a valid business id', { field: 'id' });
  return id;
}

function withEtag(status: number, b: Business, extra: Record<string, string> = {}): HttpResult {
  return { status, body: b, headers: { etag: `"${b.version}"`, ...extra } };
}

/**
 * Business CRUD. Reads are public; writes need the `operator` role. Writes are applied to this
 * gateway's search index before the answer (read-your-writes), and reach the other gateways through
 * the change channel (one pub/sub hop and one read later).
 */
export const businessRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/businesses/:id',
    auth: false,
    async handler(call) {
      const b = await call.ctx.geo.store.get(idParam(call));
      if (!b) throw new LocusError('NOT_FOUND', 'no such business');
      return withEtag(200, b);
    },
  },
  {
    method: 'POST',
    path: '/v1/businesses',
    body: true,
    async handler(call) {
      requireRole(call, 'operator');
      const { id, ...input } = parseBody(CreateBody, call.body);
      const b = await call.ctx.geo.store.create(input, id);
      call.ctx.geo.directory.apply(b.id, b, b.version);
      return withEtag(201, b, { location: `/v1/businesses/${b.id}` });
    },
  },
  {
    method: 'PUT',
    path: '/v1/businesses/:id',
    body: true,
    async handler(call) {
      requireRole(call, 'operator');
      const id = idParam(call);
      const input = parseBody(BusinessInput, call.body);
      const b = await call.ctx.geo.store.replace(id, input, ifMatchVersion(call));
      call.ctx.geo.directory.apply(id, b, b.version);
      return withEtag(200, b);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/businesses/:id',
    async handler(call) {
      requireRole(call, 'operator');
      const id = idParam(call);
      const version = await call.ctx.geo.store.delete(id, ifMatchVersion(call));
      call.ctx.geo.directory.apply(id, null, version);
      return { status: 204 };
    },
  },
];
