import { Redis } from 'ioredis';
import { SLOT_COUNT, slotRanges, tagForSlot } from './slots.js';

export type ShardStatus = 'connecting' | 'restoring' | 'ready' | 'dead';

export interface ShardHooks {
  /** The connection is up: subscribe everything this shard owns (then call markReady). */
  restore(shard: ShardSubscriber): void;
  /** The connection is gone for good (this object is never reused: the engine makes a new one). */
  dead(shard: ShardSubscriber, err: Error | undefined): void;
  /** Raw sharded message: channel name still prefixed. */
  message(rawChannel: Buffer, payload: Buffer): void;
  error(err: Error, shard: ShardSubscriber): void;
}

/**
 * One pub/sub connection to one master, holding the SSUBSCRIBEs of every channel whose slot that
 * master owns (sharded pub/sub: a message is only delivered by the shard that owns its slot).
 *
 * It is bound to one (node, slot set) pair of one topology: when the node dies, or its slots change,
 * the engine drops it and makes a new one from the new slot map, which restores the channels on the
 * new owner. No reconnecting of its own (retryStrategy null): the topology decides where to go.
 */
export class ShardSubscriber {
  status: ShardStatus = 'connecting';
  readonly conn: Redis;
  /** Logical (unprefixed) name of this shard's readiness-probe channel: a slot it owns. */
  readonly probeChannel: string;
  /** The owned slots as ranges: equal signatures = same shard in two topologies. */
  readonly signature: string;
  private readonly owned: Uint8Array;
  private lastError: Error | undefined;

  constructor(
    readonly nodeKey: string,
    slots: readonly number[],
    probePrefix: string,
    connectTimeoutMs: number,
    connectionName: string,
    private readonly hooks: ShardHooks,
  ) {
    this.owned = new Uint8Array(SLOT_COUNT);
    for (const s of slots) this.owned[s] = 1;
    this.signature = slotRanges(slots);
    this.probeChannel = `${probePrefix}{${tagForSlot(slots[0]!)}}`;
    const colon = nodeKey.lastIndexOf(':');
    this.conn = new Redis({
      host: nodeKey.slice(0, colon),
      port: Number(nodeKey.slice(colon + 1)),
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      connectionName,
      retryStrategy: () => null,
      autoResubscribe: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.conn.on('ready', () => {
      if (this.status !== 'connecting') return;
      this.status = 'restoring';
      hooks.restore(this);
    });
    this.conn.on('error', (err: Error) => {
      this.lastError = err;
      hooks.error(err, this);
    });
    this.conn.on('end', () => this.die());
    this.conn.on('smessageBuffer', hooks.message);
    this.conn.connect().catch(() => {
      // Reported through 'error' / 'end'.
    });
  }

  owns(slot: number): boolean {
    return this.owned[slot] === 1;
  }

  /** true once the connection is up: a SSUBSCRIBE sent now is ordered after the restore's. */
  get connected(): boolean {
    return this.status === 'restoring' || this.status === 'ready';
  }

  markReady(): void {
    if (this.status === 'restoring') this.status = 'ready';
  }

  /** Drops the connection (topology moved on, restore failed, engine closing). Idempotent. */
  close(): void {
    if (this.status === 'dead') return;
    this.conn.disconnect();
    this.die();
  }

  private die(): void {
    if (this.status === 'dead') return;
    this.status = 'dead';
    this.hooks.dead(this, this.lastError);
  }
}
