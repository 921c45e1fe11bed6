/**
 * The labels of both search directions over the edge-based state space (a state is a directed edge),
 * sized once per graph and reused by every query. A state's fields share one 32-byte record, so the
 * random accesses a relaxation makes — its own label, and the other direction's for the meeting
 * test — touch one cache line: the searches are bound by memory latency, not arithmetic.
 *
 *   x64[4e]       forward cost (origin → end of e), seconds
 *   x64[4e + 1]   backward cost (start of e → destination)
 *   x32[8e + 4]   forward stamp   below the query's generation g: stale (never cleared);
 *   x32[8e + 6]   backward stamp  g: labelled; g + 1: settled
 *   x32[8e + 5]   forward parent  (previous edge), or -1 - i for the i-th phantom that started it
 *   x32[8e + 7]   backward parent (next edge), likewise
 */
export class SearchLabels {
  readonly x64: Float64Array;
  readonly x32: Int32Array;

  constructor(edgeCount: number) {
    const buffer = new ArrayBuffer(32 * edgeCount);
    this.x64 = new Float64Array(buffer);
    this.x32 = new Int32Array(buffer);
  }

  get byteLength(): number {
    return this.x64.byteLength;
  }

  /** Marks every label stale (the generation counter wrapped). */
  reset(): void {
    this.x32.fill(0);
  }

  forwardParent(e: number): number {
    return this.x32[8 * e + 5]!;
  }

  backwardParent(e: number): number {
    return this.x32[8 * e + 7]!;
  }
}
