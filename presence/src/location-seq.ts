import { keys, type Engine } from '@locus/engine';

interface SeqState {
  /** Highest seq whose update was fully accepted (and written to the engine). */
  committed: number;
  /** Highest seq being accepted now or already accepted. */
  claimed: number;
  /** Claims not yet settled, and claims waiting for the stored seq: the entry is dropped when both are 0. */
  inflight: number;
  waiting: number;
  /** The read of the stored seq, while it runs: every claim of the user waits for this one read. */
  loading: Promise<void> | null;
  /** The user's connection(s) on this gateway when the stored seq was read (see `attachment`). */
  attachment: object | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * De-duplication of location updates by client sequence number (`loc.seq`). The highest accepted seq
 * per user lives in the engine with the location TTL, so a fix resent after a lost `ok` is acknowledged
 * but not applied again, whichever gateway it reaches. Updates of one user that run concurrently in
 * this process (a batch, or a resend racing the original after a reconnect) are claimed in the order
 * they arrive, after one shared engine read, so exactly one of two equal seqs is applied and no
 * update is taken for a resend because a later one overtook it.
 *
 * While the user stays connected to this gateway the seq is kept here and not read again for each
 * update (`attachment`: the same attachment as at the read). The client numbers its updates, and
 * while it is connected here they come here; a new connection reads the stored seq again, since the
 * client may have sent elsewhere meanwhile. Before, every update read it: with the record's own
 * write of the seq (RecordWrite.seq) an acknowledged update is now one engine command, not three.
 */
export class LocationSeqGuard {
  private readonly users = new Map<string, SeqState>();

  constructor(
    private readonly engine: Engine,
    private readonly ttlMs: number,
    /** The user's current attachment on this gateway (NearbyHub.attachment), or undefined: nothing is kept. */
    private readonly attachment: (user: string) => object | undefined = () => undefined,
  ) {}

  /** The user left this gateway: its seq is read again next time. */
  forget(user: string): void {
    const s = this.users.get(user);
    if (s !== undefined && s.inflight === 0 && s.waiting === 0) this.users.delete(user);
  }

  /** Whether an idle entry is dropped: unless it was read under the attachment that still holds. */
  private drops(s: SeqState, user: string): boolean {
    return s.inflight === 0 && s.waiting === 0 && this.users.get(user) === s && (s.attachment === undefined || s.attachment !== this.attachment(user));
  }

  /**
   * true: the seq is new and now claimed (call `settle` once the update is written);
   * false: the seq is not above the highest accepted one, so the update must not be applied.
   * A promise only while the stored seq is being read: the common case (the user's seq is known
   * here) answers at once, without a promise and a turn of the microtask queue per update.
   */
  claim(user: string, seq: number): boolean | Promise<boolean> {
    let s = this.users.get(user);
    // Kept from an earlier attachment (a reconnect since): read again.
    if (s !== undefined && s.loading === null && this.drops(s, user)) {
      this.users.delete(user);
      s = undefined;
    }
    if (s === undefined) {
      // One read per user, shared: the claims that arrive while it runs continue in arrival order
      // once it is in. (A read each let a later update that arrived after the first read finished
      // claim before earlier ones still reading — which were then taken for resends and dropped.)
      const state: SeqState = { committed: -1, claimed: -1, inflight: 0, waiting: 0, loading: null, attachment: this.attachment(user) };
      state.loading = this.engine.kv.get(keys.locationSeq(user)).then(
        (raw) => {
          const stored = raw === null ? -1 : Number(decoder.decode(raw));
          const last = Number.isSafeInteger(stored) ? stored : -1;
          state.committed = last;
          state.claimed = last;
          state.loading = null;
        },
        (err: unknown) => {
          if (this.users.get(user) === state) this.users.delete(user);
          throw err;
        },
      );
      this.users.set(user, state);
      s = state;
    }
    if (s.loading !== null) return this.claimAfterRead(s, s.loading, user, seq);
    return this.take(s, user, seq);
  }

  private async claimAfterRead(s: SeqState, loading: Promise<void>, user: string, seq: number): Promise<boolean> {
    s.waiting++;
    try {
      await loading;
    } finally {
      s.waiting--;
    }
    return this.take(s, user, seq);
  }

  private take(s: SeqState, user: string, seq: number): boolean {
    if (seq <= s.claimed) {
      if (this.drops(s, user)) this.users.delete(user);
      return false;
    }
    s.claimed = seq;
    s.inflight++;
    return true;
  }

  /**
   * After the update's writes: record the seq as accepted, or give the claim back when they failed.
   * `stored`: the update's own record already wrote it (RecordWrite.seq), so no write is needed here.
   * A promise only when the seq is written here; otherwise it is settled when this returns.
   */
  settle(user: string, seq: number, accepted: boolean, stored = false): Promise<void> | undefined {
    const s = this.users.get(user);
    if (s === undefined) return undefined;
    if (accepted && seq > s.committed) {
      // Set synchronously before the write: writes are issued in increasing order, so the engine
      // never goes back to a lower seq.
      s.committed = seq;
      if (!stored) return this.writeSeq(s, user, seq);
    } else if (!accepted && s.claimed === seq && s.inflight === 1) {
      // Nothing claimed after it: a resend of this fix must be applied.
      s.claimed = s.committed;
    }
    this.release(s, user);
    return undefined;
  }

  private async writeSeq(s: SeqState, user: string, seq: number): Promise<void> {
    try {
      await this.engine.kv.set(keys.locationSeq(user), encoder.encode(String(seq)), this.ttlMs);
    } finally {
      this.release(s, user);
    }
  }

  private release(s: SeqState, user: string): void {
    s.inflight--;
    if (this.drops(s, user)) this.users.delete(user);
  }
}
