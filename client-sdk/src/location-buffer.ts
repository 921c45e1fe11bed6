/** A position fix as the app reports it. */
export interface Fix {
  lat: number;
  lng: number;
  /** Horizontal accuracy, metres. */
  acc?: number;
  /** Time of the fix, ms since the epoch; default: when updateLocation was called. */
  ts?: number;
}

export interface PendingFix {
  seq: number;
  lat: number;
  lng: number;
  acc: number | undefined;
  ts: number;
  /** When it was last sent (ms); 0 = waiting to be sent. */
  sentAt: number;
  /** The connection it was sent on (the client's link number). */
  link: number;
}

export type DropReason = 'overflow' | 'expired' | 'rejected';

/**
 * Fixes that the server has not acknowledged yet, oldest first. Each gets a sequence number when it
 * is added; it stays here until the server's `ok` for its seq (or a rejection) removes it, so a fix
 * sent on a connection that dropped is sent again, in order, on the next one. Bounded by count (the
 * oldest go first) and by age (fixes older than the server would accept, or than the app cares for).
 */
export class LocationBuffer {
  private items: PendingFix[] = [];
  private lastSeq = 0;

  constructor(
    private readonly maxSize: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get inflight(): number {
    let n = 0;
    for (const f of this.items) if (f.sentAt !== 0) n++;
    return n;
  }

  /**
   * Sequence numbers follow the clock (µs since the epoch, at least one above the previous): they
   * grow across app restarts and roughly agree between a user's devices, because the server keeps
   * one highest seq per user and ignores anything not above it.
   */
  add(fix: Fix): { fix: PendingFix; dropped: PendingFix[] } {
    const seq = Math.max(this.lastSeq + 1, this.now() * 1000);
    this.lastSeq = seq;
    const pending: PendingFix = { seq, lat: fix.lat, lng: fix.lng, acc: fix.acc, ts: fix.ts ?? this.now(), sentAt: 0, link: 0 };
    this.items.push(pending);
    const dropped = this.items.length > this.maxSize ? this.items.splice(0, this.items.length - this.maxSize) : [];
    return { fix: pending, dropped };
  }

  /** Remove an acknowledged (or rejected) fix. Usually the oldest, so the scan is short. */
  remove(seq: number): PendingFix | undefined {
    const i = this.items.findIndex((f) => f.seq === seq);
    if (i < 0) return undefined;
    return this.items.splice(i, 1)[0];
  }

  /** Drop fixes older than the age bound; returns them. */
  expire(): PendingFix[] {
    const oldest = this.now() - this.maxAgeMs;
    if (this.items.length === 0 || this.items[0]!.ts >= oldest) return [];
    const keep = this.items.filter((f) => f.ts >= oldest);
    const gone = this.items.filter((f) => f.ts < oldest);
    this.items = keep;
    return gone;
  }

  /** A connection ended: what was sent on it and not acknowledged goes out again. */
  unsend(link: number): void {
    for (const f of this.items) if (f.link === link) f.sentAt = 0;
  }

  /** Sent but not acknowledged for too long (a refused frame gets no reply): send again. */
  unsendOlderThan(ms: number): number {
    const limit = this.now() - ms;
    let n = 0;
    for (const f of this.items) {
      if (f.sentAt !== 0 && f.sentAt < limit) {
        f.sentAt = 0;
        n++;
      }
    }
    return n;
  }

  hasInflightOn(link: number): boolean {
    return this.items.some((f) => f.sentAt !== 0 && f.link === link);
  }

  /** Give a fix back to be sent again (a retryable error). */
  retry(seq: number): void {
    const f = this.items.find((x) => x.seq === seq);
    if (f) f.sentAt = 0;
  }

  /** The oldest fix waiting to be sent, if any. */
  nextUnsent(): PendingFix | undefined {
    for (const f of this.items) if (f.sentAt === 0) return f;
    return undefined;
  }

  markSent(f: PendingFix, link: number): void {
    f.sentAt = this.now();
    f.link = link;
  }
}
