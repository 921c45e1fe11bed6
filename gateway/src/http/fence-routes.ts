import { FenceSpec, LocusError } from '@locus/protocol';
import { z } from 'zod';
import { addFence, removeFence } from '../fences/fence-ops.js';
import type { Route } from './http-types.js';
import { me, parseBody } from './route-helpers.js';

const CreateBody = z.object({ fence: FenceSpec, scope: z.enum(['self', 'all']).default('self') }).strict();

/**
 * Geofences over REST. A user's fences watch the user's own movements (or a friend's distance, for
 * roaming fences); an operator may create `scope: "all"` fences that fire for everyone. Events are
 * pushed to the owner's sockets (`fence_event`).
 */
export const fenceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/fences',
    handler: async (call) => ({ status: 200, body: { fences: await call.ctx.geo.fences.store.ofOwner(me(call)) } }),
  },
  {
    method: 'POST',
    path: '/v1/fences',
    body: true,
    async handler(call) {
      const owner = me(call);
      const { fence, scope } = parseBody(CreateBody, call.body);
      if (scope === 'all' && !call.identity!.roles.includes('operator')) throw new LocusError('FORBIDDEN', 'scope "all" needs the operator role');
      if (scope === 'all' && fence.kind === 'friend') throw new LocusError('BAD_REQUEST', 'a roaming fence is personal: scope must be "self"', { field: 'scope' });
      const created = await addFence(call.ctx, owner, fence, scope);
      return { status: 201, body: created, headers: { location: `/v1/fences/${created.id}` } };
    },
  },
  {
    method: 'GET',
    path: '/v1/fences/:id',
    async handler(call) {
      const user = me(call);
      const f = await call.ctx.geo.fences.store.get(call.params.id ?? '');
      if (!f || (f.owner !== user && !call.identity!.roles.includes('operator'))) throw new LocusError('NOT_FOUND', 'no such fence');
      return { status: 200, body: f };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/fences/:id',
    async handler(call) {
      await removeFence(call.ctx, call.params.id ?? '', me(call), call.identity!.roles.includes('operator'));
      return { status: 204 };
    },
  },
];
