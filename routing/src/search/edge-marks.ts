import type { RoadGraph } from '../graph/road-graph.js';

/** A set of edges over a per-graph stamp array: marking a new set is O(its size), never a clear. */
export class EdgeMarks {
  private readonly stamp: Uint32Array;
  private gen = 0;

  constructor(edgeCount: number) {
    this.stamp = new Uint32Array(edgeCount);
  }

  /** Replaces the set with `edges`. */
  mark(edges: ArrayLike<number>): void {
    if (this.gen === 0xffff_ffff) {
      this.stamp.fill(0);
      this.gen = 0;
    }
    this.gen++;
    for (let i = 0; i < edges.length; i++) this.stamp[edges[i]!] = this.gen;
  }

  has(e: number): boolean {
    return this.stamp[e] === this.gen;
  }

  /** Metres of `edges` (first and last taken from / to the offsets) that are in the set. */
  sharedMeters(graph: RoadGraph, edges: ArrayLike<number>, fromOffset: number, toOffset: number): number {
    const n = edges.length;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const e = edges[i]!;
      if (this.stamp[e] !== this.gen) continue;
      const len = graph.edgeLength[e]!;
      m += n === 1 ? len * (toOffset - fromOffset) : i === 0 ? len * (1 - fromOffset) : i === n - 1 ? len * toOffset : len;
    }
    return m;
  }
}
