import type { CostModel } from '../cost/cost-model.js';
import { PenaltyCosting } from '../cost/penalty-costing.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { bidirectionalAStar } from './bidirectional-a-star.js';
import { EdgeMarks } from './edge-marks.js';
import type { SearchOptions } from './one-way-search.js';
import { pathCost } from './path-cost.js';
import type { Phantoms } from './phantom.js';
import type { Route } from './route.js';

export interface AlternativesOptions extends SearchOptions {
  /** Routes wanted, the best included (default 3). */
  count?: number;
  /** An alternative may share at most this share of the length of every route already kept (default 0.6). */
  maxOverlap?: number;
  /** An alternative may cost at most this many times the best (default 1.4). */
  maxStretch?: number;
  /** Each time an edge is on a found route its cost grows by this share of itself (default 0.5). */
  penalty?: number;
  /** Searches after the first, at most (default 3 × count). */
  maxSearches?: number;
}

interface Scratch {
  penalties: PenaltyCosting;
  marks: EdgeMarks;
}
const scratch = new WeakMap<RoadGraph, Scratch>();

/**
 * Up to `count` clearly different routes, cheapest first, by the penalty method: find the best route,
 * make its edges dearer, search again (exact bidirectional A* on the penalised costs), and keep a result
 * when, at its true cost, it is within the stretch bound and overlaps every kept route by at most
 * maxOverlap of that route's length; every result (kept or not) is penalised before the next search.
 *
 * Why penalties rather than plateaus or via-nodes: they work unchanged on the edge-based search with
 * turn costs, restrictions and mid-edge phantoms (a via-node alternative must re-check turns at the via
 * node and needs both full search trees), cost one ordinary query each, and degrade gracefully (fewer
 * alternatives, never a wrong one). Not checked: local optimality of the detours (a kept alternative
 * can contain a small detour that is not itself a shortest path).
 */
export function alternatives(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: AlternativesOptions = {}): Route[] {
  const count = options.count ?? 3;
  const maxOverlap = options.maxOverlap ?? 0.6;
  const maxStretch = options.maxStretch ?? 1.4;
  const maxSearches = options.maxSearches ?? 3 * count;
  const best = bidirectionalAStar(graph, costing, from, to, options);
  if (best === null || count <= 1) return best === null ? [] : [best];

  let s = scratch.get(graph);
  if (!s) {
    s = { penalties: new PenaltyCosting(graph.edgeCount), marks: new EdgeMarks(graph.edgeCount) };
    scratch.set(graph, s);
  }
  const { penalties, marks } = s;
  penalties.reset(costing, options.penalty ?? 0.5);
  penalties.penalize(best.edges);
  const kept: Route[] = [best];
  for (let i = 0; i < maxSearches && kept.length < count; i++) {
    const r = bidirectionalAStar(graph, penalties, from, to, options);
    if (r === null) break;
    penalties.penalize(r.edges);
    const cost = pathCost(graph, costing, r.edges, r.from.offset, r.to.offset);
    if (cost > maxStretch * best.cost) continue;
    let distinct = true;
    for (const k of kept) {
      marks.mark(k.edges);
      if (marks.sharedMeters(graph, r.edges, r.from.offset, r.to.offset) > maxOverlap * k.meters) {
        distinct = false;
        break;
      }
    }
    if (distinct) kept.push({ ...r, cost });
  }
  return kept.sort((a, b) => a.cost - b.cost);
}
