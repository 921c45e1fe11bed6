/**
 * A client-side copy of the gateway's per-connection token bucket (welcome.limits), kept a little
 * below the server's: a frame the server refuses for rate gets no reply at all, and a refused
 * location update could let a later one be accepted first (its resend would then count as a duplicate).
 */
export class RateGate {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(ratePerSec: number, burst: number, private readonly now: () => number = Date.now) {
    this.capacity = Math.max(1, Math.floor(burst * 0.8));
    this.perMs = (ratePerSec * 0.9) / 1000;
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Take one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }
}
