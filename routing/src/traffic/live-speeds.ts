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

  constructor(edgeCount: number) {
    this.speed = new Float32Array(edgeCount).fill(Number.NaN);
    this.expires = new Float64Array(edgeCount);
  }

  /** Apply a decoded batch (parallel arrays). Returns how many entries were applied. */
  apply(edges: Uint32Array, speeds: Float32Array, expires: Float64Array, now: number): number {
    const n = this.speed.length;
    let applied = 0;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      const until = expires[i]!;
      if (e >= n || !(until > now)) continue;
      this.speed[e] = speeds[i]!;
      this.expires[e] = until;
      applied++;
    }
    this.version++;
    return applied;
  }

  /** km/h in force at `now`, or NaN when the free-flow speed applies. */
  speedAt(edge: number, now: number): number {
    return this.expires[edge]! > now ? this.speed[edge]! : Number.NaN;
  }
}
