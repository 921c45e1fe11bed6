import type { RedisContext } from '../redis/redis-context.js';
import { RedisKV } from '../redis/redis-kv.js';
import { slotOf } from './slots.js';

/**
 * KV on a cluster: as RedisKV, except MGET, which Redis Cluster refuses across slots (CROSSSLOT) —
 * and a user's friends' locations are in as many slots as there are friends. Keys are grouped by
 * slot, one MGET per slot (auto-pipelining sends each node's share in one write), and the answers
 * are put back in the caller's order.
 */
export class ClusterKV extends RedisKV {
  constructor(private readonly cctx: RedisContext) {
    super(cctx);
  }

  override mget(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    const { cctx: ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    if (keys.length === 0) return Promise.resolve([]);
    const bySlot = new Map<number, number[]>();
    const prefixed = new Array<string>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = ctx.prefix + keys[i]!;
      prefixed[i] = key;
      const slot = slotOf(key);
      const group = bySlot.get(slot);
      if (group === undefined) bySlot.set(slot, [i]);
      else group.push(i);
    }
    if (bySlot.size === 1) return ctx.cmd.mgetBuffer(prefixed).catch(ctx.fail);
    const out = new Array<Uint8Array | null>(keys.length).fill(null);
    const parts: Promise<void>[] = [];
    for (const group of bySlot.values()) {
      parts.push(
        ctx.cmd.mgetBuffer(group.map((i) => prefixed[i]!)).then((values) => {
          for (let j = 0; j < group.length; j++) out[group[j]!] = values[j] ?? null;
        }),
      );
    }
    return Promise.all(parts).then(() => out, ctx.fail);
  }
}
