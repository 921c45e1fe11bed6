import type { CostModel } from '../cost/cost-model.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { usableLandmarks, type SearchOptions } from './one-way-search.js';
import type { Phantoms } from './phantom.js';
import type { Route } from './route.js';
import { SearchSpace } from './search-space.js';
import { twoWaySearch } from './two-way-search.js';

/** Exact: A* from both ends at once (average potentials), meeting in the middle; landmarks optional. */
export function bidirectionalAStar(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: SearchOptions = {}): Route | null {
  return twoWaySearch(graph, costing, from, to, true, Infinity, options.space ?? SearchSpace.of(graph), usableLandmarks(graph, costing, options));
}
