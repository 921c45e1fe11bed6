import type { StreamId } from '../stream-id.js';
import type { StreamEntry } from '../types.js';

interface LogEntry {
  ms: number;
  seq: number;
  id: string;
  value: Uint8Array;
}

/**
 * One stream: entries in id order, trimmed from the front. A plain array with a moving head (rather
 * than shift(), which is O(n)) compacted in place once at least half of it is trimmed, so appends are
 * amortised O(1) and at most as many dead entries as live ones are held.
 */
export class StreamLog {
  private entries: LogEntry[] = [];
  private head = 0;
  /** Last id handed out; kept even when every entry is trimmed so ids never go backwards. */
  private lastMs = -1;
  private lastSeq = 0;

  get length(): number {
    return this.entries.length - this.head;
  }

  /**
   * Appends with a Redis-style id: `<now>-0`, or `<last ms>-<last seq + 1>` when the clock has not
   * moved forward (same millisecond, or the clock stepped back). So `at` (the ms part) never decreases.
   * Then trims entries older than `minMs` and beyond the newest `maxLen`.
   */
  append(value: Uint8Array, now: number, minMs: number, maxLen: number): string {
    let ms: number;
    let seq: number;
    if (now > this.lastMs) {
      ms = now;
      seq = 0;
    } else {
      ms = this.lastMs;
      seq = this.lastSeq + 1;
    }
    this.lastMs = ms;
    this.lastSeq = seq;
    const id = `${ms}-${seq}`;
    this.entries.push({ ms, seq, id, value });
    this.trim(minMs, maxLen);
    return id;
  }

  /**
   * Entries with ms in [fromMs, toMs] and, when `after` is given, id > after; oldest first, at most
   * `limit`. Binary search for the start: paging deep into a long history stays O(log n + limit).
   */
  range(fromMs: number, toMs: number, limit: number, after: StreamId | undefined): StreamEntry[] {
    let lowMs = Math.ceil(fromMs);
    let lowSeq = 0;
    if (after !== undefined && after.ms >= lowMs) {
      lowMs = after.ms;
      lowSeq = after.seq + 1;
    }
    const entries = this.entries;
    let lo = this.head;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = entries[mid]!;
      if (e.ms < lowMs || (e.ms === lowMs && e.seq < lowSeq)) lo = mid + 1;
      else hi = mid;
    }
    const out: StreamEntry[] = [];
    for (let i = lo; i < entries.length && out.length < limit; i++) {
      const e = entries[i]!;
      if (e.ms > toMs) break;
      out.push({ id: e.id, at: e.ms, value: e.value });
    }
    return out;
  }

  private trim(minMs: number, maxLen: number): void {
    const entries = this.entries;
    const firstKept = entries.length - maxLen;
    let head = this.head;
    while (head < entries.length && (head < firstKept || entries[head]!.ms < minMs)) head++;
    if (head > 16 && head * 2 >= entries.length) {
      entries.copyWithin(0, head);
      entries.length -= head;
      head = 0;
    }
    this.head = head;
  }
}
