/**
 * Live speeds per directed edge, as an overlay on the free-flow graph: NaN = no live speed, 0 = closed.
 * Each value has its own expiry (ms since the epoch); past it the free-flow speed applies again.
 * Applying a batch is a loop of typed-array writes, so tiles are never rebuilt for traffic.
 */
export class LiveSpeedTable {
  readonly speed: Float32Array;
  readonly expires: Float64Array;
  /** Batches applied so far: routes report the traffic version they were computed with. */
  version = 0;
  /**
   * Batches applied so far that changed which edges are closed (a closure set, lifted, or moved to
   * another expiry): what the open road network depends on. A feed's speed changes leave it alone,
   * so what is worked out from the closures alone (OpenReachability's pass over the graph) is kept
   * through them.
   */
  closureVersion = 0;
  /**
   * Batches applied so far that lifted a closure in force (a speed or "no value" on a closed edge).
   * Closures set can only take routes away: what was unreachable stays so until one is lifted or
   * expires (see expiredSince).
   */
  liftVersion = 0;
  /** Expiry times of the values applied and not yet seen expire (a binary min-heap), and the latest one seen. */
  private heap = new Float64Array(64);
  private heapSize = 0;
  private lastExpired = -Infinity;

  constructor(edgeCount: number) {
    this.speed = new Float32Array(edgeCount).fill(Number.NaN);
    this.expires = new Float64Array(edgeCount);
  }

  /** Apply a decoded batch (parallel arrays). Returns how many entries were applied. */
  apply(edges: Uint32Array, speeds: Float32Array, expires: Float64Array, now: number): number {
    // Also here: with no navigating car asking, the heap would otherwise only grow.
    this.dropExpired(now);
    const n = this.speed.length;
    let applied = 0;
    let closures = false;
    let lifts = false;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      const until = expires[i]!;
      if (e >= n || !(until > now)) continue;
      const closes = speeds[i] === 0;
      const wasClosed = this.speed[e] === 0 && this.expires[e]! > now;
      if (closes ? !wasClosed || this.expires[e] !== until : wasClosed) closures = true;
      if (!closes && wasClosed) lifts = true;
      this.speed[e] = speeds[i]!;
      this.expires[e] = until;
      this.pushExpiry(until);
      applied++;
    }
    this.version++;
    if (closures) this.closureVersion++;
    if (lifts) this.liftVersion++;
    return applied;
  }

  /**
   * Whether a value in force at `since` may have expired by `now` (ms). Never false when one did; true
   * also when one was overwritten before its expiry. What lets a navigating car's segment times be
   * updated at the edges a batch changed only: a value that expires changes times with no batch.
   */
  expiredSince(since: number, now: number): boolean {
    this.dropExpired(now);
    return this.lastExpired > since;
  }

  /** Expiry times held (values applied and not yet expired, overwritten ones included): for tests. */
  get heldExpiries(): number {
    return this.heapSize;
  }

  /** Take the expiry times that have passed off the heap (so it holds only values still in force). */
  private dropExpired(now: number): void {
    const h = this.heap;
    while (this.heapSize > 0 && h[0]! <= now) {
      const t = h[0]!;
      if (t > this.lastExpired) this.lastExpired = t;
      const last = h[--this.heapSize]!;
      // Sift the last one down from the root.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= this.heapSize) break;
        const c = l + 1 < this.heapSize && h[l + 1]! < h[l]! ? l + 1 : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
  }

  private pushExpiry(t: number): void {
    if (this.heapSize === this.heap.length) {
      const grown = new Float64Array(this.heap.length * 2);
      grown.set(this.heap);
      this.heap = grown;
    }
    const h = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= t) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = t;
  }

  /** km/h in force at `now`, or NaN when the free-flow speed applies. */
  speedAt(edge: number, now: number): number {
    return this.expires[edge]! > now ? this.speed[edge]! : Number.NaN;
  }
}
