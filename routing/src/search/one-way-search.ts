import { partialCost } from '../cost/partial.js';
import type { CostModel } from '../cost/cost-model.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { Landmarks } from './landmarks.js';
import { MAX_PHANTOMS, phantomList, type Phantoms } from './phantom.js';
import { assembleRoute, type Route } from './route.js';
import { SearchSpace } from './search-space.js';

export interface SearchOptions {
  /** Scratch to use (default: the graph's shared SearchSpace). */
  space?: SearchSpace;
  /**
   * Landmark bounds to guide A* (and bidirectional A*, hierarchical) instead of straight-line
   * distance: still exact, far fewer states on long routes. Needs a costing that promises
   * freeFlowLowerBound (CarCosting does); Dijkstra ignores them.
   */
  landmarks?: Landmarks;
}

/** The landmarks a search may use with this graph and costing (throws on a mismatch). */
export function usableLandmarks(graph: RoadGraph, costing: CostModel, options: SearchOptions): Landmarks | null {
  const lm = options.landmarks;
  if (lm === undefined) return null;
  if (lm.graph !== graph) throw new Error('landmarks were built for another graph');
  if (costing.freeFlowLowerBound !== true) throw new Error('landmarks need a costing never below free-flow times (freeFlowLowerBound)');
  return lm;
}

/** Reference: exact, explores in cost order around the origin. */
export function dijkstra(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: SearchOptions = {}): Route | null {
  return oneWaySearch(graph, costing, from, to, false, options.space ?? SearchSpace.of(graph), null);
}

/** Exact: Dijkstra guided by a lower bound to the destination (straight-line, or landmarks). */
export function aStar(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: SearchOptions = {}): Route | null {
  return oneWaySearch(graph, costing, from, to, true, options.space ?? SearchSpace.of(graph), usableLandmarks(graph, costing, options));
}

const tEdge = new Int32Array(MAX_PHANTOMS);
const tOffset = new Float64Array(MAX_PHANTOMS);

/**
 * Edge-based one-direction search: a state is a directed edge (the car has just driven it), so turn
 * costs and banned turns apply exactly between consecutive states. The label of a state is the cost
 * from the origin to the end of its edge; the origin's edge is labelled with its remaining fraction.
 *
 * The destination is not a state: relaxing into a target edge offers a complete route (cost so far +
 * the part of the target edge up to its offset), kept in μ; the search stops when the smallest key
 * left (cost + consistent potential) reaches μ. That covers a destination on the origin's own edge
 * behind the origin (the route leaves and comes back round) as well as ahead of it (no search).
 */
function oneWaySearch(graph: RoadGraph, costing: CostModel, fromP: Phantoms, toP: Phantoms, useHeuristic: boolean, space: SearchSpace, landmarks: Landmarks | null): Route | null {
  const sources = phantomList(graph, fromP, 'from');
  const targets = phantomList(graph, toP, 'to');
  costing.beginQuery?.();
  const gen = space.begin();
  const labels = space.labels;
  const { x64, x32 } = labels;
  const heap = space.forwardHeap;
  const pot = space.potentials;
  pot.begin(gen, useHeuristic ? 'toTarget' : 'none', costing.minSecondsPerMeter, sources, targets, Infinity, landmarks);
  const pc = pot.cache;
  const { firstOut, edgeTarget } = graph;
  const lazy = graph.lazy;
  const nt = targets.length;
  for (let j = 0; j < nt; j++) {
    tEdge[j] = targets[j]!.edge;
    tOffset[j] = targets[j]!.offset;
  }

  // State e (see SearchLabels): cost x64[4e], stamp x32[8e + 4], parent x32[8e + 5]. Node v's
  // potential (see NodePotentials): pc[2v] once pc[2v + 1] >= gen.
  let mu = Infinity;
  let muPrev = -1;
  let muSource = -1;
  let muTarget = -1;
  for (let i = 0; i < sources.length; i++) {
    const { edge: se, offset: s } = sources[i]!;
    const c = costing.edgeCost(se);
    for (let j = 0; j < nt; j++) {
      if (tEdge[j] !== se || tOffset[j]! < s) continue;
      const direct = partialCost(c, tOffset[j]! - s);
      if (direct >= mu) continue;
      mu = direct;
      muPrev = -1;
      muSource = i;
      muTarget = j;
    }
    const d = partialCost(c, 1 - s);
    if (d === Infinity || (x32[8 * se + 4] === gen && x64[4 * se]! <= d)) continue;
    x64[4 * se] = d;
    x32[8 * se + 4] = gen;
    x32[8 * se + 5] = -1 - i;
    const w = edgeTarget[se]!;
    if (useHeuristic && pc[2 * w + 1]! < gen) pot.fill(w);
    heap.push(d + (useHeuristic ? pc[2 * w]! : 0), se, w);
  }

  let settled = 0;
  const settledStamp = gen + 1;
  while (heap.topKey() < mu) {
    const e = heap.pop();
    if (x32[8 * e + 4] !== gen) continue; // a stale duplicate of a settled state
    x32[8 * e + 4] = settledStamp;
    settled++;
    const d = x64[4 * e]!;
    const v = heap.node;
    if (lazy !== undefined && lazy.ready[v] === 0) lazy.ensure(v);
    const end = firstOut[v + 1]!;
    for (let f = firstOut[v]!; f < end; f++) {
      const tc = costing.turnCost(e, f);
      if (tc === Infinity) continue;
      const base = d + tc;
      for (let j = 0; j < nt; j++) {
        if (tEdge[j] !== f) continue;
        const complete = base + partialCost(costing.edgeCost(f), tOffset[j]!);
        if (complete >= mu) continue;
        mu = complete;
        muPrev = e;
        muTarget = j;
      }
      const sf = x32[8 * f + 4]!;
      if (sf === settledStamp) continue; // consistent potentials: a settled label is final
      const c = costing.edgeCost(f);
      if (c === Infinity) continue;
      const nd = base + c;
      if (sf === gen && x64[4 * f]! <= nd) continue;
      x64[4 * f] = nd;
      x32[8 * f + 4] = gen;
      x32[8 * f + 5] = e;
      const w = edgeTarget[f]!;
      if (useHeuristic && pc[2 * w + 1]! < gen) pot.fill(w);
      heap.push(nd + (useHeuristic ? pc[2 * w]! : 0), f, w);
    }
  }
  space.settled = settled;
  if (mu === Infinity) return null;
  return assembleRoute(graph, sources, targets, mu, settled, labels, muPrev, false, tEdge[muTarget]!, muSource, muTarget);
}
