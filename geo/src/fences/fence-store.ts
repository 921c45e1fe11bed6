import { randomBytes } from 'node:crypto';
import { channels, keys, type Engine } from '@locus/engine';
import { LocusError, type Fence, type FenceSpec } from '@locus/protocol';
import { pack, unpack } from 'msgpackr';
import { fenceShape } from './fence-shape.js';

export interface FenceChange {
  op: 'upsert' | 'delete';
  id: string;
}

export function decodeFenceChange(bytes: Uint8Array): FenceChange | null {
  try {
    const v = unpack(bytes as Buffer) as Partial<FenceChange> | null;
    if (!v || (v.op !== 'upsert' && v.op !== 'delete') || typeof v.id !== 'string') return null;
    return { op: v.op, id: v.id };
  } catch {
    return null;
  }
}

/**
 * Fences of record in the engine; every write is announced on `ch:fence` so each gateway's index
 * follows. A user has at most `maxPerOwner` fences (each costs index cells on every gateway).
 */
export class FenceStore {
  constructor(
    private readonly engine: Engine,
    private readonly maxPerOwner: number,
  ) {}

  async create(owner: string, spec: FenceSpec, scope: 'self' | 'all'): Promise<Fence> {
    const fence: Fence = { ...spec, id: `f_${randomBytes(9).toString('base64url').replace(/-/g, '_')}`, owner, scope, createdAt: Date.now() };
    // Validates polygons (self-crossing, degenerate) before anything is written.
    if (fence.kind !== 'friend') fenceShape(fence);
    if (fence.kind === 'friend' && fence.friend === owner) throw new LocusError('BAD_REQUEST', 'a roaming fence needs another user', { field: 'fence.friend' });
    const s = this.engine.sets;
    if ((await s.size(keys.userFences(owner))) >= this.maxPerOwner) {
      throw new LocusError('LIMIT_EXCEEDED', `at most ${this.maxPerOwner} fences per user`, { limit: this.maxPerOwner });
    }
    const record = JSON.parse(JSON.stringify(fence)) as Fence;
    await this.engine.kv.set(keys.fence(fence.id), pack(record));
    await Promise.all([s.add(keys.fenceIds(), fence.id), s.add(keys.userFences(owner), fence.id)]);
    await this.announce({ op: 'upsert', id: fence.id });
    return record;
  }

  async get(id: string): Promise<Fence | null> {
    const b = await this.engine.kv.get(keys.fence(id));
    return b ? (unpack(b as Buffer) as Fence) : null;
  }

  async all(): Promise<Fence[]> {
    const ids = await this.engine.sets.members(keys.fenceIds());
    if (ids.length === 0) return [];
    const raw = await this.engine.kv.mget(ids.map(keys.fence));
    return raw.flatMap((b) => (b ? [unpack(b as Buffer) as Fence] : []));
  }

  async ofOwner(owner: string): Promise<Fence[]> {
    const ids = await this.engine.sets.members(keys.userFences(owner));
    if (ids.length === 0) return [];
    const raw = await this.engine.kv.mget(ids.map(keys.fence));
    return raw.flatMap((b) => (b ? [unpack(b as Buffer) as Fence] : [])).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Only the owner (or an operator) may delete; someone else's fence looks like a missing one. */
  async delete(id: string, by: string, isOperator: boolean): Promise<Fence> {
    const fence = await this.get(id);
    if (!fence || (fence.owner !== by && !isOperator)) throw new LocusError('NOT_FOUND', 'no such fence');
    await Promise.all([
      this.engine.kv.del(keys.fence(id)),
      this.engine.sets.remove(keys.fenceIds(), id),
      this.engine.sets.remove(keys.userFences(fence.owner), id),
    ]);
    await this.announce({ op: 'delete', id });
    return fence;
  }

  private announce(c: FenceChange): Promise<void> {
    return this.engine.bus.publish(channels.fenceChanges(), pack(c));
  }
}
