import type { StreamLog } from './stream-log.js';

/** A string value (the KV record), with its expiry on the monotonic clock; 0 = no expiry. */
export interface StringRecord {
  readonly kind: 'string';
  value: Uint8Array;
  expiresAt: number;
}

export interface SetRecord {
  readonly kind: 'set';
  readonly members: Set<string>;
}

export interface StreamRecord {
  readonly kind: 'stream';
  readonly log: StreamLog;
}

export type KeyRecord = StringRecord | SetRecord | StreamRecord;

/** The message Redis answers with, so callers see the same mistake the same way on both engines. */
export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/**
 * One map for every kind of record, like Redis's keyspace: DEL removes any kind, SET replaces any
 * kind, and using a key as the wrong kind is an error rather than a silent second namespace.
 *
 * Expiry uses performance.now() (monotonic): a wall-clock jump must not expire or revive keys.
 * Expired keys are removed lazily on access, and by an incremental sweep so that keys nobody reads
 * again still release their memory.
 */
export class Keyspace {
  private readonly records = new Map<string, KeyRecord>();
  /** Where the incremental sweep stopped; Map iterators stay valid across inserts and deletes. */
  private sweepCursor: IterableIterator<[string, KeyRecord]> | undefined;

  /** Records including expired ones not yet swept (for tests and metrics). */
  get size(): number {
    return this.records.size;
  }

  /** The live record for `key`, removing it first if it has expired. */
  get(key: string, now = performance.now()): KeyRecord | undefined {
    const record = this.records.get(key);
    if (record !== undefined && record.kind === 'string' && isExpired(record, now)) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  set(key: string, record: KeyRecord): void {
    this.records.set(key, record);
  }

  delete(key: string): boolean {
    return this.records.delete(key);
  }

  clear(): void {
    this.records.clear();
    this.sweepCursor = undefined;
  }

  /**
   * Examines up to `budget` records, resuming where the previous call stopped, and deletes expired
   * ones. Bounded work per call keeps the event loop responsive with millions of keys.
   */
  sweep(budget: number, now = performance.now()): void {
    const cursor = this.sweepCursor ?? this.records.entries();
    for (let examined = 0; examined < budget; examined++) {
      const next = cursor.next();
      if (next.done === true) {
        // One full pass done; the next call starts a fresh pass.
        this.sweepCursor = undefined;
        return;
      }
      const [key, record] = next.value;
      if (record.kind === 'string' && isExpired(record, now)) this.records.delete(key);
    }
    this.sweepCursor = cursor;
  }
}

function isExpired(record: StringRecord, now: number): boolean {
  return record.expiresAt !== 0 && record.expiresAt <= now;
}
