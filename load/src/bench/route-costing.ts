import type { CostModel } from '@locus/routing';

/**
 * The car costing without turns: no turn penalties and no turn restrictions, the model a node-based
 * router such as ngraph.path computes. Only for comparing with it on equal terms: the same optimal
 * cost is then expected from both.
 */
export class TurnFreeCosting implements CostModel {
  readonly minSecondsPerMeter: number;
  readonly freeFlowLowerBound: boolean;

  constructor(private readonly base: CostModel) {
    this.minSecondsPerMeter = base.minSecondsPerMeter;
    this.freeFlowLowerBound = base.freeFlowLowerBound === true;
  }

  beginQuery(): void {
    this.base.beginQuery?.();
  }

  edgeCost(e: number): number {
    return this.base.edgeCost(e);
  }

  turnCost(): number {
    return 0;
  }
}
