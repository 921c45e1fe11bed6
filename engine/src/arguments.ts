import type { StreamAppendOptions } from './types.js';

/**
 * Argument checks shared by the engines, so a bad argument fails the same way on memory and Redis
 * (Redis would otherwise answer with its own reply error, memory with something else or nothing).
 */

/** ttlMs as whole milliseconds (Redis PX takes integers); 0 = no expiry. Rounds up: never expire early. */
export function ttlArgument(ttlMs: number | undefined): number {
  if (ttlMs === undefined || ttlMs === 0) return 0;
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) throw new RangeError(`invalid ttlMs ${ttlMs}`);
  return Math.ceil(ttlMs);
}

export function checkAppendOptions(opts: StreamAppendOptions): void {
  if (!(opts.retentionMs > 0)) throw new RangeError(`invalid retentionMs ${opts.retentionMs}`);
  if (opts.maxLen !== undefined && !(Number.isInteger(opts.maxLen) && opts.maxLen > 0)) {
    throw new RangeError(`invalid maxLen ${opts.maxLen}`);
  }
}

/** A record's sequence number: a whole number ≥ 0 (what clients number their updates with). */
export function checkSeq(seq: { key: string; value: number } | undefined): void {
  if (seq !== undefined && !(Number.isSafeInteger(seq.value) && seq.value >= 0)) throw new RangeError(`invalid seq ${seq.value}`);
}

/** Engine.record's checks, the same on every engine: returns the TTL argument (ttlArgument). */
export function recordTtl(w: { ttlMs: number; streamOptions: StreamAppendOptions; seq?: { key: string; value: number } }): number {
  const ttl = ttlArgument(w.ttlMs);
  checkAppendOptions(w.streamOptions);
  checkSeq(w.seq);
  return ttl;
}

export function checkRangeArguments(fromMs: number, toMs: number, limit: number): void {
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new RangeError('range bounds must be numbers');
  if (!(limit >= 0)) throw new RangeError(`invalid limit ${limit}`);
}
