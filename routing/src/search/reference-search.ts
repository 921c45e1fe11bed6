import type { CostModel } from '../cost/cost-model.js';
import { partialCost } from '../cost/partial.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { Phantom } from './phantom.js';

/**
 * The optimal route cost by Bellman–Ford over the edge-based state graph: no heap, no potentials, no
 * stopping rule, nothing shared with the searches but the cost model. Slow (O(states · edges)); it is
 * the oracle the tests hold every search to, on small graphs. Infinity when there is no route.
 */
export function referenceCost(graph: RoadGraph, costing: CostModel, sources: readonly Phantom[], targets: readonly Phantom[]): number {
  costing.beginQuery?.();
  const dist = new Float64Array(graph.edgeCount).fill(Infinity);
  let best = Infinity;
  for (const s of sources) {
    const c = costing.edgeCost(s.edge);
    dist[s.edge] = Math.min(dist[s.edge]!, partialCost(c, 1 - s.offset));
    for (const t of targets) if (t.edge === s.edge && t.offset >= s.offset) best = Math.min(best, partialCost(c, t.offset - s.offset));
  }
  for (let changed = true, rounds = 0; changed && rounds <= graph.edgeCount; rounds++) {
    changed = false;
    for (let e = 0; e < graph.edgeCount; e++) {
      const d = dist[e]!;
      if (d === Infinity) continue;
      const v = graph.edgeTarget[e]!;
      for (let f = graph.firstOut[v]!; f < graph.firstOut[v + 1]!; f++) {
        const turn = costing.turnCost(e, f);
        if (turn === Infinity) continue;
        for (const t of targets) if (t.edge === f) best = Math.min(best, d + turn + partialCost(costing.edgeCost(f), t.offset));
        const nd = d + turn + costing.edgeCost(f);
        if (nd < dist[f]!) {
          dist[f] = nd;
          changed = true;
        }
      }
    }
  }
  return best;
}
