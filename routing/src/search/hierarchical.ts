import type { CostModel } from '../cost/cost-model.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { usableLandmarks, type SearchOptions } from './one-way-search.js';
import type { Phantoms } from './phantom.js';
import type { Route } from './route.js';
import { SearchSpace } from './search-space.js';
import { twoWaySearch } from './two-way-search.js';

export interface HierarchicalOptions extends SearchOptions {
  /**
   * A local-level edge (levelOf) is used only when one of its nodes lies within this distance
   * (great-circle, metres) of the origin or the destination; elsewhere only arterials and highways.
   * Default 3 km: wide enough to reach an arterial from anywhere in a town, small enough to drop most
   * of the network on long routes.
   */
  localRadiusMeters?: number;
}

export const DEFAULT_LOCAL_RADIUS_M = 3000;

/**
 * Fast and approximate: bidirectional A* that leaves local streets behind once away from both ends,
 * as drivers do. Never cheaper than the optimum (every result is a real route); its gap is measured in
 * the tests and the benchmark. Exact whenever some optimal route uses local streets only within the
 * radius of its ends (the search is exact on the subgraph it keeps).
 *
 * When the kept subgraph has no route (an end deep in local streets, or cut off by one-ways), the
 * exact bidirectional search runs instead: a route is found whenever one exists. `settled` then counts
 * both searches.
 */
export function hierarchical(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: HierarchicalOptions = {}): Route | null {
  const radius = options.localRadiusMeters ?? DEFAULT_LOCAL_RADIUS_M;
  if (!(radius >= 0)) throw new RangeError('localRadiusMeters must be ≥ 0');
  const space = options.space ?? SearchSpace.of(graph);
  const landmarks = usableLandmarks(graph, costing, options);
  const fast = twoWaySearch(graph, costing, from, to, true, radius, space, landmarks);
  if (fast !== null || radius === Infinity) return fast;
  const spent = space.settled;
  const exact = twoWaySearch(graph, costing, from, to, true, Infinity, space, landmarks);
  if (exact !== null) exact.settled += spent;
  return exact;
}
