import { partialCost } from '../cost/partial.js';
import type { CostModel } from '../cost/cost-model.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { MAX_PHANTOMS, phantomList, type Phantoms } from './phantom.js';
import { assembleRoute, type Route } from './route.js';
import { SearchSpace } from './search-space.js';

export interface SearchOptions {
  /** Scratch to use (default: the graph's shared SearchSpace). */
  space?: SearchSpace;
}

/** Reference: exact, explores in cost order around the origin. */
export function dijkstra(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: SearchOptions = {}): Route | null {
  return oneWaySearch(graph, costing, from, to, false, options.space ?? SearchSpace.of(graph));
}

/** Exact: Dijkstra guided by the straight-line lower bound to the destination. */
export function aStar(graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms, options: SearchOptions = {}): Route | null {
  return oneWaySearch(graph, costing, from, to, true, options.space ?? SearchSpace.of(graph));
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
function oneWaySearch(graph: RoadGraph, costing: CostModel, fromP: Phantoms, toP: Phantoms, useHeuristic: boolean, space: SearchSpace): Route | null {
  const sources = phantomList(graph, fromP, 'from');
  const targets = phantomList(graph, toP, 'to');
  costing.beginQuery?.();
  const gen = space.begin();
  const labels = space.forward;
  const { rec64, rec32, heap } = labels;
  const pot = space.potentials;
  pot.begin(gen, useHeuristic ? 'toTarget' : 'none', costing.minSecondsPerMeter, sources, targets);
  const { firstOut, edgeTarget } = graph;
  const nt = targets.length;
  for (let j = 0; j < nt; j++) {
    tEdge[j] = targets[j]!.edge;
    tOffset[j] = targets[j]!.offset;
  }

  // State e's record (see SearchLabels): cost rec64[2e], stamp rec32[4e + 2], parent rec32[4e + 3].
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
    if (d === Infinity || (rec32[4 * se + 2] === gen && rec64[2 * se]! <= d)) continue;
    rec64[2 * se] = d;
    rec32[4 * se + 2] = gen;
    rec32[4 * se + 3] = -1 - i;
    heap.push(d + (useHeuristic ? pot.at(edgeTarget[se]!) : 0), se);
  }

  let settled = 0;
  const settledStamp = gen + 1;
  while (heap.size > 0 && heap.topKey() < mu) {
    const e = heap.pop();
    if (rec32[4 * e + 2] !== gen) continue; // a stale duplicate of a settled state
    rec32[4 * e + 2] = settledStamp;
    settled++;
    const d = rec64[2 * e]!;
    const v = edgeTarget[e]!;
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
      const sf = rec32[4 * f + 2]!;
      if (sf === settledStamp) continue; // consistent potentials: a settled label is final
      const c = costing.edgeCost(f);
      if (c === Infinity) continue;
      const nd = base + c;
      if (sf === gen && rec64[2 * f]! <= nd) continue;
      rec64[2 * f] = nd;
      rec32[4 * f + 2] = gen;
      rec32[4 * f + 3] = e;
      heap.push(nd + (useHeuristic ? pot.at(edgeTarget[f]!) : 0), f);
    }
  }
  if (mu === Infinity) return null;
  return assembleRoute(graph, sources, targets, mu, settled, labels, muPrev, null, tEdge[muTarget]!, muSource, muTarget);
}
