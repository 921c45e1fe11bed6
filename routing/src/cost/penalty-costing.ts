import type { CostModel } from './cost-model.js';

/**
 * A costing that makes chosen edges dearer: cost × (1 + factor · k) after an edge was penalised k times.
 * Used to find alternative routes (the penalty method). Costs only increase, so the base costing's A*
 * bound stays valid. Per-edge counts live in typed arrays sized once per graph; a new session takes a
 * new generation instead of clearing them.
 */
export class PenaltyCosting implements CostModel {
  private readonly stamp: Uint32Array;
  private readonly count: Uint8Array;
  private gen = 0;
  private base: CostModel | undefined;
  private factor = 0;

  constructor(edgeCount: number) {
    this.stamp = new Uint32Array(edgeCount);
    this.count = new Uint8Array(edgeCount);
  }

  /** Starts a session over `base` with no edge penalised. */
  reset(base: CostModel, factor: number): void {
    if (!(factor > 0)) throw new RangeError('penalty factor must be positive');
    if (this.gen === 0xffff_ffff) {
      this.stamp.fill(0);
      this.gen = 0;
    }
    this.gen++;
    this.base = base;
    this.factor = factor;
  }

  penalize(edges: ArrayLike<number>): void {
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i]!;
      if (this.stamp[e] !== this.gen) {
        this.stamp[e] = this.gen;
        this.count[e] = 1;
      } else if (this.count[e]! < 255) this.count[e]!++;
    }
  }

  get minSecondsPerMeter(): number {
    return this.model().minSecondsPerMeter;
  }

  /** Penalties only add: the base's promise carries over. */
  get freeFlowLowerBound(): boolean {
    return this.model().freeFlowLowerBound === true;
  }

  beginQuery(): void {
    this.model().beginQuery?.();
  }

  edgeCost(e: number): number {
    const c = this.model().edgeCost(e);
    return this.stamp[e] === this.gen ? c * (1 + this.factor * this.count[e]!) : c;
  }

  turnCost(from: number, to: number): number {
    return this.model().turnCost(from, to);
  }

  private model(): CostModel {
    if (this.base === undefined) throw new Error('PenaltyCosting: reset() first');
    return this.base;
  }
}
