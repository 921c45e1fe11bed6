/**
 * The k nearest so far: a max-heap on distance over preallocated typed arrays, so the search never
 * allocates per candidate. Ties on distance are broken by slot so results are deterministic.
 */
export class TopK {
  private dist: Float64Array;
  private slot: Int32Array;
  size = 0;

  constructor(private capacity: number) {
    this.dist = new Float64Array(Math.max(1, capacity));
    this.slot = new Int32Array(Math.max(1, capacity));
  }

  reset(capacity: number): void {
    if (capacity > this.dist.length) {
      this.dist = new Float64Array(capacity);
      this.slot = new Int32Array(capacity);
    }
    this.capacity = capacity;
    this.size = 0;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Largest distance held (the bound to beat once full). */
  get worst(): number {
    return this.size > 0 ? this.dist[0]! : Infinity;
  }

  offer(d: number, s: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.greater(d, s, this.dist[p]!, this.slot[p]!)) break;
        this.dist[i] = this.dist[p]!;
        this.slot[i] = this.slot[p]!;
        i = p;
      }
      this.dist[i] = d;
      this.slot[i] = s;
      return;
    }
    if (!this.greater(this.dist[0]!, this.slot[0]!, d, s)) return;
    this.siftDown(d, s);
  }

  /** Results nearest first, into the caller's arrays; returns the count. */
  drainInto(outDist: Float64Array, outSlot: Int32Array): number {
    const n = this.size;
    for (let k = n - 1; k >= 0; k--) {
      outDist[k] = this.dist[0]!;
      outSlot[k] = this.slot[0]!;
      this.size--;
      if (this.size > 0) this.siftDown(this.dist[this.size]!, this.slot[this.size]!);
    }
    return n;
  }

  private siftDown(d: number, s: number): void {
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.greater(this.dist[r]!, this.slot[r]!, this.dist[l]!, this.slot[l]!) ? r : l;
      if (!this.greater(this.dist[c]!, this.slot[c]!, d, s)) break;
      this.dist[i] = this.dist[c]!;
      this.slot[i] = this.slot[c]!;
      i = c;
    }
    this.dist[i] = d;
    this.slot[i] = s;
  }

  private greater(d1: number, s1: number, d2: number, s2: number): boolean {
    return d1 > d2 || (d1 === d2 && s1 > s2);
  }
}
