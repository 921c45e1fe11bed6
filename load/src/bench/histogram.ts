/**
 * Latency histogram with log-spaced buckets (2 % wide) from 1 µs to ~100 s: constant memory however
 * many samples, mergeable across worker processes, percentiles within 2 %.
 */
const GROWTH = 1.02;
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / Math.log(GROWTH)) + 2;

export class LatencyHistogram {
  readonly counts = new Float64Array(BUCKETS);
  total = 0;
  max = 0;

  record(ms: number): void {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms / MIN_MS) / Math.log(GROWTH)));
    this.counts[i]! += 1;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  merge(counts: ArrayLike<number>, total: number, max: number): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += counts[i] ?? 0;
    this.total += total;
    if (max > this.max) this.max = max;
  }

  /** Upper edge of the bucket holding quantile q (0..1), in ms. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const want = q * this.total;
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= want) return i === 0 ? MIN_MS : Math.min(this.max, MIN_MS * GROWTH ** i);
    }
    return this.max;
  }
}
