/**
 * The edges each kept way became, segment by segment (a segment joins two consecutive nodes of the
 * way): fromNode, toNode, the forward edge and the backward edge (-1 where the way is one-way).
 * Turn restrictions name ways and a node, and are resolved against this table to edge indexes.
 * Flat typed arrays sized once: the importer knows the upper bound (refs − 1 summed over kept ways).
 */
export class SegmentTable {
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly fwd: Int32Array;
  private readonly bwd: Int32Array;
  private count = 0;
  /** OSM way id → ordinal; segments of way k are wayStart[k] … wayStart[k+1]-1. */
  private readonly ordinal = new Map<number, number>();
  private readonly wayStart: Uint32Array;
  private ways = 0;
  /** Node → outgoing edges, built on first use (only_* restrictions need it). */
  private outIndex: { first: Uint32Array; edges: Int32Array } | null = null;

  constructor(maxSegments: number, maxWays: number) {
    this.from = new Int32Array(maxSegments);
    this.to = new Int32Array(maxSegments);
    this.fwd = new Int32Array(maxSegments);
    this.bwd = new Int32Array(maxSegments);
    this.wayStart = new Uint32Array(maxWays + 1);
  }

  /** Segments added from now until the next beginWay belong to this way. */
  beginWay(wayId: number): void {
    this.ordinal.set(wayId, this.ways);
    this.wayStart[this.ways] = this.count;
    this.wayStart[++this.ways] = this.count;
  }

  add(fromNode: number, toNode: number, forwardEdge: number, backwardEdge: number): void {
    const i = this.count++;
    this.from[i] = fromNode;
    this.to[i] = toNode;
    this.fwd[i] = forwardEdge;
    this.bwd[i] = backwardEdge;
    this.wayStart[this.ways] = this.count;
    this.outIndex = null;
  }

  /** Drops a way that got no segment, so it reads as absent. */
  forgetWayIfEmpty(wayId: number): void {
    const k = this.ordinal.get(wayId);
    if (k !== undefined && this.wayStart[k] === this.wayStart[k + 1]) this.ordinal.delete(wayId);
  }

  hasWay(wayId: number): boolean {
    return this.ordinal.has(wayId);
  }

  /** Edges of the way that end at `node` (a way passing through it twice, or in both directions, gives several). */
  entering(wayId: number, node: number): number[] {
    const out: number[] = [];
    this.forSegments(wayId, (i) => {
      if (this.to[i] === node && this.fwd[i]! >= 0) out.push(this.fwd[i]!);
      if (this.from[i] === node && this.bwd[i]! >= 0) out.push(this.bwd[i]!);
    });
    return out;
  }

  /** Edges of the way that start at `node`. */
  leaving(wayId: number, node: number): number[] {
    const out: number[] = [];
    this.forSegments(wayId, (i) => {
      if (this.from[i] === node && this.fwd[i]! >= 0) out.push(this.fwd[i]!);
      if (this.to[i] === node && this.bwd[i]! >= 0) out.push(this.bwd[i]!);
    });
    return out;
  }

  /** Every edge (of any way) that starts at `node`. */
  outEdges(node: number, nodeCount: number): Int32Array {
    const idx = (this.outIndex ??= this.buildOutIndex(nodeCount));
    return idx.edges.subarray(idx.first[node]!, idx.first[node + 1]!);
  }

  private forSegments(wayId: number, visit: (segment: number) => void): void {
    const k = this.ordinal.get(wayId);
    if (k === undefined) return;
    for (let i = this.wayStart[k]!; i < this.wayStart[k + 1]!; i++) visit(i);
  }

  /** Counting sort of the edges by source node, the same CSR layout as the graph's firstOut. */
  private buildOutIndex(nodeCount: number): { first: Uint32Array; edges: Int32Array } {
    const first = new Uint32Array(nodeCount + 1);
    for (let i = 0; i < this.count; i++) {
      if (this.fwd[i]! >= 0) first[this.from[i]! + 1]!++;
      if (this.bwd[i]! >= 0) first[this.to[i]! + 1]!++;
    }
    for (let n = 0; n < nodeCount; n++) first[n + 1]! += first[n]!;
    const fill = first.slice(0, nodeCount);
    const edges = new Int32Array(first[nodeCount]!);
    for (let i = 0; i < this.count; i++) {
      if (this.fwd[i]! >= 0) edges[fill[this.from[i]!]!++] = this.fwd[i]!;
      if (this.bwd[i]! >= 0) edges[fill[this.to[i]!]!++] = this.bwd[i]!;
    }
    return { first, edges };
  }
}
