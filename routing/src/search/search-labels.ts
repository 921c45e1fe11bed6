import { StateHeap } from './state-heap.js';

/**
 * One direction's labels over the edge-based state space (a state is a directed edge), sized once per
 * graph and reused by every query.
 *
 * A state's three fields share one 16-byte record, so the random access a relaxation makes touches one
 * cache line instead of three (the searches are bound by memory latency, not arithmetic):
 *   rec64[2e]     cost label (seconds)
 *   rec32[4e + 2] stamp: below the query's generation g = stale (never cleared), g = labelled,
 *                 g + 1 = settled
 *   rec32[4e + 3] parent: previous edge (forward) / next edge (backward), or -1 - i for the i-th
 *                 phantom that started the chain
 */
export class SearchLabels {
  readonly rec64: Float64Array;
  readonly rec32: Int32Array;
  readonly heap = new StateHeap();

  constructor(edgeCount: number) {
    const buffer = new ArrayBuffer(16 * edgeCount);
    this.rec64 = new Float64Array(buffer);
    this.rec32 = new Int32Array(buffer);
  }

  get byteLength(): number {
    return this.rec64.byteLength;
  }

  /** Marks every label stale (the generation counter wrapped). */
  reset(): void {
    this.rec32.fill(0);
  }

  parentOf(e: number): number {
    return this.rec32[4 * e + 3]!;
  }
}
