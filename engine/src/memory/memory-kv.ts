import { ttlArgument } from '../arguments.js';
import type { OpenGate } from '../open-gate.js';
import type { KV } from '../types.js';
import { WRONGTYPE, type Keyspace } from './keyspace.js';

/** Shared settled promise: the hot write path returns it instead of allocating one per call. */
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * KV over the shared keyspace, with Redis semantics (SET replaces any kind and clears the TTL,
 * GET on another kind is WRONGTYPE, MGET answers null for it, DEL removes any kind).
 *
 * Values are stored by reference, not copied: callers hand over bytes they will not mutate (the
 * presence service shares one encoded buffer between the cache and the publish), and readers must
 * not mutate what they get.
 */
export class MemoryKV implements KV {
  constructor(
    private readonly keyspace: Keyspace,
    private readonly gate: OpenGate,
  ) {}

  /** Records held, including expired ones not swept yet: lets tests see that the sweep frees memory. */
  get size(): number {
    return this.keyspace.size;
  }

  async get(key: string): Promise<Uint8Array | null> {
    this.gate.check();
    const record = this.keyspace.get(key);
    if (record === undefined) return null;
    if (record.kind !== 'string') throw new Error(WRONGTYPE);
    return record.value;
  }

  async mget(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    this.gate.check();
    const now = performance.now();
    const out = new Array<Uint8Array | null>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const record = this.keyspace.get(keys[i]!, now);
      out[i] = record !== undefined && record.kind === 'string' ? record.value : null;
    }
    return out;
  }

  /** Not async on purpose: one location update per user every few seconds is the hot path. */
  set(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    if (this.gate.closed) return this.gate.rejection();
    let ttl: number;
    try {
      ttl = ttlArgument(ttlMs);
    } catch (err) {
      return Promise.reject(err);
    }
    const now = performance.now();
    const expiresAt = ttl === 0 ? 0 : now + ttl;
    const record = this.keyspace.get(key, now);
    if (record !== undefined && record.kind === 'string') {
      // Update in place: no new record per update of an existing key.
      record.value = value;
      record.expiresAt = expiresAt;
    } else {
      this.keyspace.set(key, { kind: 'string', value, expiresAt });
    }
    return RESOLVED;
  }

  async del(key: string): Promise<boolean> {
    this.gate.check();
    // get() first so that an expired key counts as absent, as in Redis.
    return this.keyspace.get(key) !== undefined && this.keyspace.delete(key);
  }

  async pttl(key: string): Promise<number> {
    this.gate.check();
    const now = performance.now();
    const record = this.keyspace.get(key, now);
    if (record === undefined) return -2;
    if (record.kind !== 'string' || record.expiresAt === 0) return -1;
    return Math.ceil(record.expiresAt - now);
  }
}
