import type { CostModel } from '../cost/cost-model.js';
import { partialCost } from '../cost/partial.js';
import { Level, levelOf } from '../graph/road-class.js';
import type { LazyNodes, RoadGraph } from '../graph/road-graph.js';
import type { Landmarks } from './landmarks.js';
import type { NodePotentials } from './node-potentials.js';
import { phantomList, type Phantom, type Phantoms } from './phantom.js';
import { assembleRoute, type Route } from './route.js';
import type { SearchSpace } from './search-space.js';
import type { StateHeap } from './state-heap.js';

/** 1 for road classes of the local level, by class id: one byte read per relaxation in the hierarchy. */
const LOCAL_CLASS = new Uint8Array(256).map((_, c) => (levelOf(c) === Level.local ? 1 : 0));

/**
 * Edge-based bidirectional A* with the average potential of Ikeda et al.: p(v) = (π_t(v) − π_s(v)) / 2
 * for the forward search, −p(v) for the backward one. Both are consistent, so each search is Dijkstra
 * on non-negative reduced costs and, with keys k_f = d_f + p and k_b = d_b − p, the route is optimal as
 * soon as top_f + top_b ≥ μ (the potentials cancel where the searches meet). π_t and π_s are the
 * straight-line or landmark bounds of NodePotentials.
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
export function twoWaySearch(
  graph: RoadGraph,
  costing: CostModel,
  fromP: Phantoms,
  toP: Phantoms,
  useHeuristic: boolean,
  nearMeters: number,
  space: SearchSpace,
  landmarks: Landmarks | null,
): Route | null {
  const sources = phantomList(graph, fromP, 'from');
  const targets = phantomList(graph, toP, 'to');
  costing.beginQuery?.();
  const gen = space.begin();
  const hierarchical = nearMeters !== Infinity;
  space.potentials.begin(gen, useHeuristic || hierarchical ? 'average' : 'none', useHeuristic ? costing.minSecondsPerMeter : 0, sources, targets, nearMeters, useHeuristic ? landmarks : null);
  const run = new TwoWayRun(graph, costing, space, gen, hierarchical);
  run.start(sources, targets);
  run.search();
  space.settled = run.settled;
  if (run.mu === Infinity) return null;
  if (run.meetE < 0) return assembleRoute(graph, sources, targets, run.mu, run.settled, space.labels, -1, false, targets[run.muTarget]!.edge, run.muSource, run.muTarget);
  return assembleRoute(graph, sources, targets, run.mu, run.settled, space.labels, run.meetE, true, run.meetF, -1, -1);
}

/**
 * One query's state. Each direction's step is its own method, so the optimising compiler inlines the
 * costing, heap and potential calls into each (one function doing both exceeds its inlining budget,
 * and a call it does not inline boxes every double it returns: a heap allocation per relaxation).
 *
 * State e (see SearchLabels): forward cost x64[4e], stamp x32[8e + 4], parent x32[8e + 5]; backward
 * cost x64[4e + 1], stamp x32[8e + 6], parent x32[8e + 7]. Node v's potential (see NodePotentials):
 * pc[2v] once pc[2v + 1] >= gen; v is near an end when pc[2v + 1] > gen.
 */
class TwoWayRun {
  mu = Infinity;
  meetE = -1;
  meetF = -1;
  muSource = -1;
  muTarget = -1;
  settled = 0;
  private readonly settledStamp: number;
  private readonly x64: Float64Array;
  private readonly x32: Int32Array;
  private readonly fHeap: StateHeap;
  private readonly bHeap: StateHeap;
  private readonly pot: NodePotentials;
  private readonly pc: Float64Array;
  private readonly firstOut: Uint32Array;
  private readonly firstIn: Uint32Array;
  private readonly inEdges: Uint32Array;
  private readonly edgeSource: Uint32Array;
  private readonly edgeTarget: Uint32Array;
  private readonly edgeClass: Uint8Array;
  /** A graph loaded as it is reached: a node is made ready before its edges are read. */
  private readonly lazy: LazyNodes | null;

  constructor(
    graph: RoadGraph,
    private readonly costing: CostModel,
    space: SearchSpace,
    private readonly gen: number,
    private readonly hierarchical: boolean,
  ) {
    this.settledStamp = gen + 1;
    this.x64 = space.labels.x64;
    this.x32 = space.labels.x32;
    this.fHeap = space.forwardHeap;
    this.bHeap = space.backwardHeap;
    this.pot = space.potentials;
    this.pc = this.pot.cache;
    this.firstOut = graph.firstOut;
    this.firstIn = graph.firstIn;
    this.inEdges = graph.inEdges;
    this.edgeSource = graph.edgeSource;
    this.edgeTarget = graph.edgeTarget;
    this.edgeClass = graph.edgeClass;
    this.lazy = graph.lazy ?? null;
  }

  /** Labels the phantoms' edges, and offers μ the direct route along an edge both ends share. */
  start(sources: readonly Phantom[], targets: readonly Phantom[]): void {
    const { costing, gen, x64, x32, pc, pot } = this;
    for (let i = 0; i < sources.length; i++) {
      const { edge: se, offset: s } = sources[i]!;
      const c = costing.edgeCost(se);
      for (let j = 0; j < targets.length; j++) {
        const t = targets[j]!;
        if (t.edge !== se || t.offset < s) continue;
        const direct = partialCost(c, t.offset - s);
        if (direct >= this.mu) continue;
        this.mu = direct;
        this.muSource = i;
        this.muTarget = j;
      }
      const d = partialCost(c, 1 - s);
      if (d === Infinity || (x32[8 * se + 4] === gen && x64[4 * se]! <= d)) continue;
      x64[4 * se] = d;
      x32[8 * se + 4] = gen;
      x32[8 * se + 5] = -1 - i;
      const w = this.edgeTarget[se]!;
      if (pc[2 * w + 1]! < gen) pot.fill(w);
      this.fHeap.push(d + pc[2 * w]!, se, w);
    }
    for (let j = 0; j < targets.length; j++) {
      const { edge: te, offset: t } = targets[j]!;
      const d = partialCost(costing.edgeCost(te), t);
      if (d === Infinity || (x32[8 * te + 6] === gen && x64[4 * te + 1]! <= d)) continue;
      x64[4 * te + 1] = d;
      x32[8 * te + 6] = gen;
      x32[8 * te + 7] = -1 - j;
      const u = this.edgeSource[te]!;
      if (pc[2 * u + 1]! < gen) pot.fill(u);
      this.bHeap.push(d - pc[2 * u]!, te, u);
    }
  }

  /** Alternates the directions (the one with the smaller key first) until the stopping rule holds. */
  search(): void {
    const fHeap = this.fHeap;
    const bHeap = this.bHeap;
    for (;;) {
      const topF = fHeap.topKey();
      const topB = bHeap.topKey();
      if (topF + topB >= this.mu) return; // also when a side is exhausted (its top is Infinity)
      if (topF <= topB) this.forwardStep();
      else this.backwardStep();
    }
  }

  /** Settles the forward minimum and relaxes the turns out of its end node. */
  forwardStep(): void {
    const { costing, gen, settledStamp, x64, x32, pc, edgeTarget } = this;
    const e = this.fHeap.pop();
    if (x32[8 * e + 4] !== gen) return; // a stale duplicate of a settled state
    x32[8 * e + 4] = settledStamp;
    this.settled++;
    const d = x64[4 * e]!;
    const v = this.fHeap.node;
    const lazy = this.lazy;
    if (lazy !== null && lazy.ready[v] === 0) lazy.ensure(v);
    const farOnly = this.hierarchical && pc[2 * v + 1] === gen;
    const end = this.firstOut[v + 1]!;
    for (let f = this.firstOut[v]!; f < end; f++) {
      const tc = costing.turnCost(e, f);
      if (tc === Infinity) continue;
      const base = d + tc;
      if (x32[8 * f + 6]! >= gen) {
        const complete = base + x64[4 * f + 1]!;
        if (complete < this.mu) {
          this.mu = complete;
          this.meetE = e;
          this.meetF = f;
        }
      }
      const sf = x32[8 * f + 4]!;
      if (sf === settledStamp) continue; // consistent potentials: a settled label is final
      const w = edgeTarget[f]!;
      if (pc[2 * w + 1]! < gen) this.pot.fill(w);
      if (farOnly && pc[2 * w + 1] === gen && LOCAL_CLASS[this.edgeClass[f]!] === 1) continue;
      const c = costing.edgeCost(f);
      if (c === Infinity) continue;
      const nd = base + c;
      if (sf === gen && x64[4 * f]! <= nd) continue;
      x64[4 * f] = nd;
      x32[8 * f + 4] = gen;
      x32[8 * f + 5] = e;
      this.fHeap.push(nd + pc[2 * w]!, f, w);
    }
  }

  /** Settles the backward minimum and relaxes the turns into its start node. */
  backwardStep(): void {
    const { costing, gen, settledStamp, x64, x32, pc, edgeSource, inEdges } = this;
    const f = this.bHeap.pop();
    if (x32[8 * f + 6] !== gen) return;
    x32[8 * f + 6] = settledStamp;
    this.settled++;
    const d = x64[4 * f + 1]!;
    const v = this.bHeap.node;
    const lazy = this.lazy;
    if (lazy !== null && lazy.ready[v] === 0) lazy.ensure(v);
    const farOnly = this.hierarchical && pc[2 * v + 1] === gen;
    const end = this.firstIn[v + 1]!;
    for (let k = this.firstIn[v]!; k < end; k++) {
      const e = inEdges[k]!;
      const tc = costing.turnCost(e, f);
      if (tc === Infinity) continue;
      const base = d + tc;
      if (x32[8 * e + 4]! >= gen) {
        const complete = x64[4 * e]! + base;
        if (complete < this.mu) {
          this.mu = complete;
          this.meetE = e;
          this.meetF = f;
        }
      }
      const se = x32[8 * e + 6]!;
      if (se === settledStamp) continue;
      const u = edgeSource[e]!;
      if (pc[2 * u + 1]! < gen) this.pot.fill(u);
      if (farOnly && pc[2 * u + 1] === gen && LOCAL_CLASS[this.edgeClass[e]!] === 1) continue;
      const c = costing.edgeCost(e);
      if (c === Infinity) continue;
      const nd = base + c;
      if (se === gen && x64[4 * e + 1]! <= nd) continue;
      x64[4 * e + 1] = nd;
      x32[8 * e + 6] = gen;
      x32[8 * e + 7] = f;
      this.bHeap.push(nd - pc[2 * u]!, e, u);
    }
  }
}
