import type { CostModel } from '../cost/cost-model.js';
import { partialCost } from '../cost/partial.js';
import type { RoadGraph } from '../graph/road-graph.js';

/**
 * Cost of driving `edges` in order under `costing`, from `fromOffset` on the first edge to `toOffset`
 * on the last, turns included: what a search's `cost` must equal for its own route. Infinity when an
 * edge is unusable or a turn banned (or two edges do not meet, which is a caller bug).
 */
export function pathCost(graph: RoadGraph, costing: CostModel, edges: ArrayLike<number>, fromOffset: number, toOffset: number): number {
  const { edgeSource, edgeTarget } = graph;
  const n = edges.length;
  if (n === 0) return Infinity;
  costing.beginQuery?.();
  if (n === 1) return toOffset >= fromOffset ? partialCost(costing.edgeCost(edges[0]!), toOffset - fromOffset) : Infinity;
  let cost = partialCost(costing.edgeCost(edges[0]!), 1 - fromOffset);
  for (let i = 1; i < n; i++) {
    const prev = edges[i - 1]!;
    const e = edges[i]!;
    if (edgeTarget[prev] !== edgeSource[e]) return Infinity;
    cost += costing.turnCost(prev, e);
    cost += i === n - 1 ? partialCost(costing.edgeCost(e), toOffset) : costing.edgeCost(e);
  }
  return cost;
}
