import { partialCost } from '../cost/partial.js';
import type { CostModel } from '../cost/cost-model.js';
import { Level, levelOf } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { phantomList, type Phantoms } from './phantom.js';
import { assembleRoute, type Route } from './route.js';
import type { SearchSpace } from './search-space.js';

/** 1 for road classes of the local level, by class id: one byte read per relaxation in the hierarchy. */
const LOCAL_CLASS = new Uint8Array(256).map((_, c) => (levelOf(c) === Level.local ? 1 : 0));

/**
 * Edge-based bidirectional A* with the average potential of Ikeda et al.: p(v) = (π_t(v) − π_s(v)) / 2
 * for the forward search, −p(v) for the backward one. Both are consistent, so each search is Dijkstra
 * on non-negative reduced costs and, with keys k_f = d_f + p and k_b = d_b − p, the route is optimal as
 * soon as top_f + top_b ≥ μ (the potentials cancel where the searches meet).
 *
 * Forward states are edges with the cost from the origin to their end (as in the one-way search);
 * backward states are edges with the cost from their start to the destination, the target edge
 * labelled with its fraction up to the offset. The searches meet over a turn: whenever either relaxes
 * the turn e → f with e labelled forward and f labelled backward, d_f(e) + turn(e, f) + d_b(f) is a
 * complete route, kept in μ. Checking every relaxed turn — also into settled or not-improved states —
 * is what makes the stopping rule exact.
 *
 * With `nearMeters` finite (the hierarchical mode) a local-level edge is relaxed only when one of its
 * nodes lies within that distance of the origin or the destination: far from both, only arterial and
 * highway edges. Both directions apply the same rule, so this is exact bidirectional A* on that
 * subgraph; on the whole graph it is not exact, but every result is a real route, never cheaper than
 * the optimum.
 */
export function twoWaySearch(graph: RoadGraph, costing: CostModel, fromP: Phantoms, toP: Phantoms, useHeuristic: boolean, nearMeters: number, space: SearchSpace): Route | null {
  const sources = phantomList(graph, fromP, 'from');
  const targets = phantomList(graph, toP, 'to');
  costing.beginQuery?.();
  const gen = space.begin();
  const settledStamp = gen + 1;
  const F = space.forward;
  const B = space.backward;
  // State e's record (see SearchLabels): cost x64[2e], stamp x32[4e + 2], parent x32[4e + 3].
  const f64 = F.rec64;
  const f32 = F.rec32;
  const fHeap = F.heap;
  const b64 = B.rec64;
  const b32 = B.rec32;
  const bHeap = B.heap;
  const pot = space.potentials;
  const hierarchical = nearMeters !== Infinity;
  pot.begin(gen, useHeuristic || hierarchical ? 'average' : 'none', useHeuristic ? costing.minSecondsPerMeter : 0, sources, targets, nearMeters);
  const { firstOut, firstIn, inEdges, edgeSource, edgeTarget, edgeClass } = graph;

  let mu = Infinity;
  let meetE = -1;
  let meetF = -1;
  let muSource = -1;
  let muTarget = -1;
  for (let i = 0; i < sources.length; i++) {
    const { edge: se, offset: s } = sources[i]!;
    const c = costing.edgeCost(se);
    for (let j = 0; j < targets.length; j++) {
      const t = targets[j]!;
      if (t.edge !== se || t.offset < s) continue;
      const direct = partialCost(c, t.offset - s);
      if (direct >= mu) continue;
      mu = direct;
      muSource = i;
      muTarget = j;
    }
    const d = partialCost(c, 1 - s);
    if (d === Infinity || (f32[4 * se + 2] === gen && f64[2 * se]! <= d)) continue;
    f64[2 * se] = d;
    f32[4 * se + 2] = gen;
    f32[4 * se + 3] = -1 - i;
    fHeap.push(d + pot.at(edgeTarget[se]!), se);
  }
  for (let j = 0; j < targets.length; j++) {
    const { edge: te, offset: t } = targets[j]!;
    const d = partialCost(costing.edgeCost(te), t);
    if (d === Infinity || (b32[4 * te + 2] === gen && b64[2 * te]! <= d)) continue;
    b64[2 * te] = d;
    b32[4 * te + 2] = gen;
    b32[4 * te + 3] = -1 - j;
    bHeap.push(d - pot.at(edgeSource[te]!), te);
  }

  let settled = 0;
  for (;;) {
    const topF = fHeap.topKey();
    const topB = bHeap.topKey();
    if (topF + topB >= mu) break; // also when a side is exhausted (its top is Infinity)
    if (topF <= topB) {
      const e = fHeap.pop();
      if (f32[4 * e + 2] !== gen) continue;
      f32[4 * e + 2] = settledStamp;
      settled++;
      const d = f64[2 * e]!;
      const v = edgeTarget[e]!;
      const farOnly = hierarchical && !pot.isNear(v);
      const end = firstOut[v + 1]!;
      for (let f = firstOut[v]!; f < end; f++) {
        const tc = costing.turnCost(e, f);
        if (tc === Infinity) continue;
        const base = d + tc;
        if (b32[4 * f + 2]! >= gen) {
          const complete = base + b64[2 * f]!;
          if (complete < mu) {
            mu = complete;
            meetE = e;
            meetF = f;
          }
        }
        const sf = f32[4 * f + 2]!;
        if (sf === settledStamp) continue;
        const w = edgeTarget[f]!;
        const p = pot.at(w);
        if (farOnly && !pot.isNear(w) && LOCAL_CLASS[edgeClass[f]!] === 1) continue;
        const c = costing.edgeCost(f);
        if (c === Infinity) continue;
        const nd = base + c;
        if (sf === gen && f64[2 * f]! <= nd) continue;
        f64[2 * f] = nd;
        f32[4 * f + 2] = gen;
        f32[4 * f + 3] = e;
        fHeap.push(nd + p, f);
      }
    } else {
      const f = bHeap.pop();
      if (b32[4 * f + 2] !== gen) continue;
      b32[4 * f + 2] = settledStamp;
      settled++;
      const d = b64[2 * f]!;
      const v = edgeSource[f]!;
      const farOnly = hierarchical && !pot.isNear(v);
      const end = firstIn[v + 1]!;
      for (let k = firstIn[v]!; k < end; k++) {
        const e = inEdges[k]!;
        const tc = costing.turnCost(e, f);
        if (tc === Infinity) continue;
        const base = d + tc;
        if (f32[4 * e + 2]! >= gen) {
          const complete = f64[2 * e]! + base;
          if (complete < mu) {
            mu = complete;
            meetE = e;
            meetF = f;
          }
        }
        const se = b32[4 * e + 2]!;
        if (se === settledStamp) continue;
        const u = edgeSource[e]!;
        const p = pot.at(u);
        if (farOnly && !pot.isNear(u) && LOCAL_CLASS[edgeClass[e]!] === 1) continue;
        const c = costing.edgeCost(e);
        if (c === Infinity) continue;
        const nd = base + c;
        if (se === gen && b64[2 * e]! <= nd) continue;
        b64[2 * e] = nd;
        b32[4 * e + 2] = gen;
        b32[4 * e + 3] = f;
        bHeap.push(nd - p, e);
      }
    }
  }
  if (mu === Infinity) return null;
  if (meetE < 0) return assembleRoute(graph, sources, targets, mu, settled, null, -1, null, targets[muTarget]!.edge, muSource, muTarget);
  return assembleRoute(graph, sources, targets, mu, settled, F, meetE, B, meetF, -1, -1);
}
