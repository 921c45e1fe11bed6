import type { Redis } from 'ioredis';
import type { PrivateChannel } from '../private-channel.js';
import type { SubscriptionTable } from '../subscriptions.js';
import type { Bus, BusListener } from '../types.js';
import { asBuffer } from './buffers.js';
import type { RedisContext } from './redis-context.js';
import { ignore } from './results.js';

/**
 * Redis limits one command's argument count; resubscribing a gateway's channels after a reconnect
 * is sent in batches of this many channels.
 */
const SUBSCRIBE_BATCH = 10_000;

/**
 * The Redis bus: PUBLISH on the command connection, (UN)SUBSCRIBE on a dedicated subscriber
 * connection (a connection in subscribe mode cannot run other commands). The subscription table is
 * the single source of truth for what should be subscribed: upstream follows it on first/last
 * reference, and `restore()` replays it on every (re)connect of the subscriber, so ioredis's own
 * autoResubscribe is off (it would resubscribe from ioredis's view, racing with ours).
 */
export class RedisBus implements Bus {
  /**
   * In-flight SUBSCRIBE per logical channel. A second reference to a channel whose subscription is
   * still being made awaits the same command, so subscribe() never resolves before the channel is
   * active upstream, whichever reference came first.
   */
  private readonly pending = new Map<string, Promise<unknown>>();
  /** Byte length of the prefix, cut from incoming channel names without an intermediate string. */
  private readonly prefixBytes: number;

  constructor(
    private readonly ctx: RedisContext,
    private readonly sub: Redis,
    private readonly table: SubscriptionTable,
    private readonly privateChannel: PrivateChannel,
  ) {
    this.prefixBytes = Buffer.byteLength(ctx.prefix);
  }

  get channelCount(): number {
    return this.table.channelCount;
  }

  publish(channel: string, payload: Uint8Array): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.publish(ctx.prefix + channel, asBuffer(payload)).then(ignore, ctx.fail);
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    const { ctx } = this;
    ctx.gate.check();
    let upstream: Promise<unknown> | undefined;
    if (this.table.add(channel, listener)) {
      upstream = this.sub.subscribe(ctx.prefix + channel);
      this.track(channel, upstream);
    } else {
      upstream = this.pending.get(channel);
    }
    if (upstream === undefined) return;
    try {
      await upstream;
    } catch (err) {
      // The caller is told the subscription failed, so it must not hold a reference either.
      this.table.remove(channel, listener);
      ctx.fail(err);
    }
  }

  /** After close there is nothing left to unsubscribe from: resolves, so shutdown paths need no guards. */
  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    if (!this.table.remove(channel, listener) || this.ctx.gate.closed) return;
    // Ordered after any SUBSCRIBE for the channel on the same connection, so a quick
    // subscribe/unsubscribe/subscribe sequence ends subscribed.
    await this.sub.unsubscribe(this.ctx.prefix + channel).then(ignore, this.ctx.fail);
  }

  /**
   * Subscribes the private channel and every channel in the table, on a subscriber connection that
   * has just become ready (first connect or reconnect: a new connection has no subscriptions).
   * Channels subscribed meanwhile await these commands like any in-flight subscription.
   */
  async restore(): Promise<void> {
    const { prefix } = this.ctx;
    const batches: Promise<unknown>[] = [];
    let logical: string[] = [];
    let prefixed: string[] = [prefix + this.privateChannel.name];
    const flush = (): void => {
      const reply = this.sub.subscribe(...prefixed);
      for (const channel of logical) this.track(channel, reply);
      batches.push(reply);
      logical = [];
      prefixed = [];
    };
    for (const channel of this.table.channels()) {
      logical.push(channel);
      prefixed.push(prefix + channel);
      if (prefixed.length >= SUBSCRIBE_BATCH) flush();
    }
    if (prefixed.length > 0) flush();
    await Promise.all(batches);
  }

  /** The subscriber connection's `messageBuffer` handler: bound once, called for every message. */
  readonly receive = (rawChannel: Buffer, payload: Buffer): void => {
    // Only prefixed channels are ever subscribed on this connection, so the prefix is just cut off.
    const channel = rawChannel.toString('utf8', this.prefixBytes);
    if (channel === this.privateChannel.name) this.privateChannel.receive(payload);
    else this.table.deliver(channel, payload);
  };

  clear(): void {
    this.pending.clear();
    this.table.clear();
  }

  private track(channel: string, reply: Promise<unknown>): void {
    this.pending.set(channel, reply);
    const forget = (): void => {
      if (this.pending.get(channel) === reply) this.pending.delete(channel);
    };
    reply.then(forget, forget);
  }
}
