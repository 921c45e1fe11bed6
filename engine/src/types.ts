/**
 * The engine is the one seam between Locus services and shared state. Every implementation
 * (memory, redis, later redis-cluster) passes the same contract suite (`contract.ts`).
 *
 * Values are bytes (msgpack, encoded by the caller) so engines never parse payloads.
 * Keys and channels passed in are *logical* names built by `keys.ts`; an engine adds its
 * own prefix (so tests and tenants can share one Redis without touching each other's data).
 */

/** One listener function per consumer, reused for every channel: no closure per subscription. */
export type BusListener = (channel: string, payload: Uint8Array) => void;

export interface Bus {
  /** Publish bytes on a channel. Resolves once the engine accepted the message (not delivered). */
  publish(channel: string, payload: Uint8Array): Promise<void>;
  /**
   * Add one reference of `listener` to `channel`. The engine subscribes upstream only on the
   * process's first reference to the channel (any listener), and resolves once the subscription is
   * active: a publish made after the promise resolves reaches the listener.
   */
  subscribe(channel: string, listener: BusListener): Promise<void>;
  /** Remove one reference; the upstream subscription ends when the last reference goes. */
  unsubscribe(channel: string, listener: BusListener): Promise<void>;
  /** Channels this process currently holds an upstream subscription for. */
  readonly channelCount: number;
}

export interface KV {
  get(key: string): Promise<Uint8Array | null>;
  /** One round trip for many keys; result is aligned with `keys`. */
  mget(keys: readonly string[]): Promise<(Uint8Array | null)[]>;
  /** ttlMs omitted or 0 = no expiry. */
  set(key: string, value: Uint8Array, ttlMs?: number): Promise<void>;
  /** true when a key was removed. */
  del(key: string): Promise<boolean>;
  /** Remaining time to live in ms; -1 no expiry; -2 missing. */
  pttl(key: string): Promise<number>;
}

export interface Sets {
  /** true when the member was new. */
  add(key: string, member: string): Promise<boolean>;
  /** true when the member was present. */
  remove(key: string, member: string): Promise<boolean>;
  has(key: string, member: string): Promise<boolean>;
  members(key: string): Promise<string[]>;
  size(key: string): Promise<number>;
}

export interface StreamEntry {
  /** Engine-assigned id, strictly increasing within a key; usable as a paging cursor. */
  id: string;
  /** Acceptance time in ms since the epoch (the engine's clock), non-decreasing within a key. */
  at: number;
  value: Uint8Array;
}

export interface StreamAppendOptions {
  /** Entries accepted longer ago than this are trimmed (approximately, at append time). */
  retentionMs: number;
  /** Upper bound on entries kept per key (memory engine bound; Redis trims by time only unless set). */
  maxLen?: number;
}

export interface Streams {
  /** Append one entry stamped with the engine's acceptance time; returns its id. */
  append(key: string, value: Uint8Array, opts: StreamAppendOptions): Promise<string>;
  /**
   * Entries with acceptance time in [fromMs, toMs], oldest first, at most `limit`.
   * `afterId` (exclusive) continues a previous page.
   */
  range(key: string, fromMs: number, toMs: number, limit: number, afterId?: string): Promise<StreamEntry[]>;
}

/** Where Engine.record writes one value: a key (with a TTL), a stream and a channel. */
export interface RecordWrite {
  key: string;
  /** 0 = no expiry. */
  ttlMs: number;
  stream: string;
  streamOptions: StreamAppendOptions;
  channel: string;
  /**
   * The sender's number of this update (a whole number ≥ 0), kept at `seq.key` with the key's TTL
   * unless that already holds a higher one: how resent updates are recognised later. Written in
   * the same step, so an acknowledged update costs one command on Redis, not two.
   */
  seq?: { key: string; value: number };
}

export type EngineKind = 'memory' | 'redis' | 'redis-cluster';
export type EngineState = 'connecting' | 'ready' | 'down' | 'closed';

export interface Engine {
  readonly kind: EngineKind;
  readonly bus: Bus;
  readonly kv: KV;
  readonly sets: Sets;
  readonly streams: Streams;
  readonly state: EngineState;
  /** Resolves when commands and pub/sub are usable; rejects with EngineError on failure / timeout. */
  connect(): Promise<void>;
  /**
   * Readiness probe: publish a unique message on a private probe channel and wait for it to come
   * back through the subscriber path. Resolves with the round-trip in ms; rejects on timeout.
   * Socket state alone is not enough: pub/sub may be silently broken while commands work.
   */
  probe(timeoutMs: number): Promise<number>;
  /**
   * kv.set(key, value, ttlMs) + streams.append(stream, value, streamOptions) + bus.publish(channel,
   * value) as one step — what accepting a location update writes. On Redis it is one script run
   * (the records of one write window share one script call, see RecordBatcher); a failing write stops
   * the record there and rejects it alone. On redis-cluster it is one script per record, and the key,
   * the stream and the channel (and `seq.key`) must share a hash tag (one slot). Resolves when all are
   * done.
   */
  record(w: RecordWrite, value: Uint8Array): Promise<void>;
  /** Called on engine errors that are not tied to one command (connection lost, resubscribe failed). */
  onError(listener: (err: Error) => void): void;
  /** Called on state changes. */
  onState(listener: (state: EngineState) => void): void;
  close(): Promise<void>;
}
