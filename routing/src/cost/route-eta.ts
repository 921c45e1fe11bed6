import type { RoadGraph } from '../graph/road-graph.js';
import type { TravelTimeModel } from './cost-model.js';
import { partialCost } from './partial.js';

/** Where the route starts on its first edge and ends on its last (0..1 along each; default whole edges). */
export interface RouteEnds {
  fromOffset?: number;
  toOffset?: number;
}

/**
 * ETA in seconds of a route given as consecutive directed edges: the sum of segment travel times at the
 * live speed where one is set and not expired, else free-flow (as `costing.travelSeconds` says), with
 * the first and last edges counted from / to the given offsets. Infinity if an edge is closed.
 *
 * Turn penalties and avoidance preferences are NOT included: they steer the choice of route (the u-turn
 * penalty is deliberately huge) and are not time a driver spends, so adding them would inflate ETAs.
 * The clock is read once (beginQuery), like a search does.
 */
export function routeEta(graph: RoadGraph, edges: ArrayLike<number>, costing: TravelTimeModel, ends: RouteEnds = {}): number {
  const n = edges.length;
  if (n === 0) return 0;
  costing.beginQuery?.();
  const from = ends.fromOffset ?? 0;
  const to = ends.toOffset ?? 1;
  let eta = 0;
  for (let i = 0; i < n; i++) {
    const e = edges[i]!;
    if (!(e >= 0 && e < graph.edgeCount)) throw new RangeError(`edge ${e} is not in the graph`);
    const t = costing.travelSeconds(e);
    const fraction = n === 1 ? to - from : i === 0 ? 1 - from : i === n - 1 ? to : 1;
    eta += partialCost(t, fraction);
  }
  return eta;
}
