import type { Fence, FenceSpec } from '@locus/protocol';
import { LocusError } from '@locus/protocol';
import type { GatewayContext } from '../context.js';

/**
 * Fence writes shared by the socket and REST: create (a roaming fence needs an existing friend;
 * an `all`-scope fence needs the operator role), apply to this gateway at once, then the store
 * announces it to the others.
 */
export async function addFence(ctx: GatewayContext, owner: string, spec: FenceSpec, scope: 'self' | 'all'): Promise<Fence> {
  if (spec.kind === 'friend' && !(await ctx.presence.graph.areFriends(owner, spec.friend))) {
    throw new LocusError('NOT_FRIEND', `${spec.friend} is not a friend`);
  }
  const fence = await ctx.geo.fences.store.create(owner, spec, scope);
  ctx.geo.fences.directory.put(fence);
  return fence;
}

export async function removeFence(ctx: GatewayContext, id: string, by: string, isOperator: boolean): Promise<void> {
  const fence = await ctx.geo.fences.store.delete(id, by, isOperator);
  ctx.geo.fences.directory.remove(fence.id);
}
