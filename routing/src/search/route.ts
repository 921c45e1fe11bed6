import type { RoadGraph } from '../graph/road-graph.js';
import type { Phantom } from './phantom.js';
import type { SearchLabels } from './search-labels.js';

export interface Route {
  /** Seconds under the costing searched with (turn penalties and avoidance preferences included). */
  cost: number;
  /** The directed edges driven, in order: the first is `from.edge`, the last `to.edge`. */
  edges: Uint32Array;
  /** The phantoms the route starts and ends at (one of those given for each end). */
  from: Phantom;
  to: Phantom;
  /** Metres driven, partial first and last edges included. */
  meters: number;
  /** States (directed edges) settled by the search, both directions together: its work. */
  settled: number;
}

/** Metres of a route over `edges`, from `fromOffset` on the first edge to `toOffset` on the last. */
export function routeMeters(graph: RoadGraph, edges: ArrayLike<number>, fromOffset: number, toOffset: number): number {
  const n = edges.length;
  if (n === 1) return graph.edgeLength[edges[0]!]! * (toOffset - fromOffset);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const len = graph.edgeLength[edges[i]!]!;
    m += i === 0 ? len * (1 - fromOffset) : i === n - 1 ? len * toOffset : len;
  }
  return m;
}

/**
 * Assembles a route from the search's parent pointers: the forward chain ending at `lastForward`
 * (-1: none) followed by the backward chain starting at `firstBackward` (followed through the
 * backward parents when `backward`, else taken alone). A chain ends at a parent -1 - i: phantom i.
 */
export function assembleRoute(
  graph: RoadGraph,
  sources: readonly Phantom[],
  targets: readonly Phantom[],
  cost: number,
  settled: number,
  labels: SearchLabels,
  lastForward: number,
  backward: boolean,
  firstBackward: number,
  sourceIndex: number,
  targetIndex: number,
): Route {
  // A chain ends where the parent is negative: -1 - (the index of the phantom that started it).
  let nf = 0;
  let src = sourceIndex;
  if (lastForward >= 0) {
    let e = lastForward;
    for (; e >= 0; e = labels.forwardParent(e)) nf++;
    src = -1 - e;
  }
  let nb = 1;
  let tgt = targetIndex;
  if (backward) {
    let e = firstBackward;
    for (nb = 0; e >= 0; e = labels.backwardParent(e)) nb++;
    tgt = -1 - e;
  }
  const edges = new Uint32Array(nf + nb);
  let i = nf;
  for (let e = lastForward; e >= 0; e = labels.forwardParent(e)) edges[--i] = e;
  i = nf;
  if (!backward) edges[i] = firstBackward;
  else for (let e = firstBackward; e >= 0; e = labels.backwardParent(e)) edges[i++] = e;
  const from = sources[src]!;
  const to = targets[tgt]!;
  return { cost, edges, from, to, meters: routeMeters(graph, edges, from.offset, to.offset), settled };
}
