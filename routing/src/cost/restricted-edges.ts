import { MAX_EDGES, type RoadGraph } from '../graph/road-graph.js';

const cache = new WeakMap<RoadGraph, Uint8Array>();

/**
 * 1 for every edge that some banned turn starts from. Looking a float key up in a Set costs a hash per
 * relaxation; almost no edge has a restriction, so one byte read skips the lookup nearly always.
 */
export function restrictedEdges(graph: RoadGraph): Uint8Array {
  let mask = cache.get(graph);
  if (mask) return mask;
  mask = new Uint8Array(graph.edgeCount);
  for (const key of graph.bannedTurns) mask[Math.floor(key / MAX_EDGES)] = 1;
  cache.set(graph, mask);
  return mask;
}
