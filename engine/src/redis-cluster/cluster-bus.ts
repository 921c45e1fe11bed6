import type { RedisContext } from '../redis/redis-context.js';
import { asBuffer } from '../redis/buffers.js';
import { ignore } from '../redis/results.js';
import type { SubscriptionTable } from '../subscriptions.js';
import type { Bus, BusListener } from '../types.js';
import type { ShardSubscriber } from './shard-subscriber.js';
import { slotOf } from './slots.js';

/** What the bus needs from the engine's view of the cluster. */
export interface ShardDirectory {
  /** The shard owning `slot` when its connection is up (restoring or ready), else undefined. */
  connectedShard(slot: number): ShardSubscriber | undefined;
  /**
   * Resolves once a shard owning `slot` (other than `stale`) has restored its subscriptions;
   * rejects with ENGINE_UNAVAILABLE after a deadline.
   */
  waitForShard(slot: number, stale?: ShardSubscriber): Promise<void>;
  /** A reply said the slot map is stale (MOVED): re-read it. */
  topologyStale(): void;
}

/** SSUBSCRIBE takes channels of one slot only; a restore sends at most this many per command. */
const SUBSCRIBE_BATCH = 1_000;

/**
 * The cluster bus: SPUBLISH on the Cluster command connection (routed to the channel's shard by its
 * slot), SSUBSCRIBE on the owning shard's subscriber connection. As in RedisBus, the subscription
 * table is the single source of truth: a shard subscriber that (re)connects subscribes every table
 * channel of its slots (`restore`), so after a failover or a slot move the new owner gets exactly
 * what this process needs.
 */
export class ClusterBus implements Bus {
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly prefixBytes: number;

  constructor(
    private readonly ctx: RedisContext,
    private readonly table: SubscriptionTable,
    private readonly shards: ShardDirectory,
    /** Logical names starting with this are the engine's probe channels. */
    private readonly probePrefix: string,
    private readonly onProbe: (payload: Uint8Array) => void,
  ) {
    this.prefixBytes = Buffer.byteLength(ctx.prefix);
  }

  get channelCount(): number {
    return this.table.channelCount;
  }

  publish(channel: string, payload: Uint8Array): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.spublish(ctx.prefix + channel, asBuffer(payload)).then(ignore, ctx.fail);
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    const { ctx } = this;
    ctx.gate.check();
    let upstream: Promise<unknown> | undefined;
    if (this.table.add(channel, listener)) {
      upstream = this.subscribeUpstream(channel, ctx.prefix + channel);
      this.track(channel, upstream);
    } else {
      upstream = this.pending.get(channel);
    }
    if (upstream === undefined) return;
    try {
      await upstream;
    } catch (err) {
      this.table.remove(channel, listener);
      ctx.fail(err);
    }
  }

  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    if (!this.table.remove(channel, listener) || this.ctx.gate.closed) return;
    const prefixed = this.ctx.prefix + channel;
    // A shard that is not connected has nothing to drop: its restore will not include the channel.
    const shard = this.shards.connectedShard(slotOf(prefixed));
    if (shard !== undefined) await shard.conn.sunsubscribe(prefixed).then(ignore, this.ctx.fail);
  }

  /**
   * Subscribes every table channel of the shard's slots, and its probe channel, on a connection that
   * just came up. Grouped by slot: one SSUBSCRIBE may only name channels of one slot.
   */
  async restore(shard: ShardSubscriber): Promise<void> {
    const { prefix } = this.ctx;
    const bySlot = new Map<number, string[]>();
    for (const channel of this.table.channels()) {
      const prefixed = prefix + channel;
      const slot = slotOf(prefixed);
      if (!shard.owns(slot)) continue;
      let list = bySlot.get(slot);
      if (list === undefined) bySlot.set(slot, (list = []));
      list.push(channel);
    }
    const replies: Promise<unknown>[] = [shard.conn.ssubscribe(prefix + shard.probeChannel)];
    for (const list of bySlot.values()) {
      for (let i = 0; i < list.length; i += SUBSCRIBE_BATCH) {
        const logical = list.slice(i, i + SUBSCRIBE_BATCH);
        const reply = shard.conn.ssubscribe(...logical.map((c) => prefix + c));
        for (const channel of logical) this.track(channel, reply);
        replies.push(reply);
      }
    }
    await Promise.all(replies);
  }

  /** Every shard subscriber's `smessageBuffer` handler: bound once. */
  readonly receive = (rawChannel: Buffer, payload: Buffer): void => {
    const channel = rawChannel.toString('utf8', this.prefixBytes);
    if (channel.startsWith(this.probePrefix)) this.onProbe(payload);
    else this.table.deliver(channel, payload);
  };

  clear(): void {
    this.pending.clear();
    this.table.clear();
  }

  /**
   * Sends the SSUBSCRIBE synchronously when the owning shard is connected (so back-to-back
   * subscribe/unsubscribe calls stay ordered on its connection); otherwise waits for the shard's
   * restore, which includes the channel because it is already in the table.
   */
  private async subscribeUpstream(channel: string, prefixed: string): Promise<void> {
    const slot = slotOf(prefixed);
    const shard = this.shards.connectedShard(slot);
    if (shard === undefined) {
      await this.shards.waitForShard(slot);
      return;
    }
    try {
      await shard.conn.ssubscribe(prefixed);
    } catch (err) {
      if (!isMoved(err)) throw err;
      // The slot left this shard: the new slot map makes a subscriber for the new owner, whose
      // restore subscribes the channel (still in the table), unless it was dropped meanwhile.
      this.shards.topologyStale();
      if (this.table.has(channel)) await this.shards.waitForShard(slot, shard);
    }
  }

  private track(channel: string, reply: Promise<unknown>): void {
    this.pending.set(channel, reply);
    const forget = (): void => {
      if (this.pending.get(channel) === reply) this.pending.delete(channel);
    };
    reply.then(forget, forget);
  }
}

function isMoved(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('MOVED ');
}
