import type { CostModel } from '../cost/cost-model.js';
import { partialCost } from '../cost/partial.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { Phantom } from '../search/phantom.js';
import { edgeDistanceScaled, lngMetres } from '../snap/edge-snapper.js';
import { StateHeap } from '../search/state-heap.js';

/**
 * An edge-based Dijkstra out of one approach edge, kept for reuse: when a closure lands on a road
 * that many navigating cars are about to drive, every car that reaches it over the same approach
 * edge `from` can take its detour from the same search tree (see bestRejoin). One search per
 * approach edge instead of one per car is what lets a closure on a busy road be answered for
 * thousands of sessions at once.
 *
 * A state is a directed edge; its label the cost from the end of `from` to the end of that edge under
 * the costing, turn costs included (the turn out of `from` too). `from` itself is not a start state:
 * a detour must leave its end node. Bounded by cost and by settled states, so a search in a large
 * graph stays local. Labels live in typed arrays sized to the graph and stamped per run (never
 * cleared); settled labels are final, so only settled states are reported as reached.
 */
export class DetourSearch {
  /** The approach edge of the last run (-1: none yet). */
  from = -1;
  settled = 0;
  /** Whether the last run settled everything reachable (it stopped for want of states, not at a bound). */
  complete = false;
  private readonly dist: Float64Array;
  private readonly parent: Int32Array;
  /** run's gen: labelled; gen + 1: settled. */
  private readonly stamp: Int32Array;
  /** The states settled by the last run, in order ([0, settled)). */
  private readonly order: Int32Array;
  private gen = 0;
  constructor(
    private readonly graph: RoadGraph,
    /**
     * The frontier, used only inside run: searches that never run at once may share one (a pool of
     * them then grows one heap to the largest frontier instead of each its own).
     */
    private readonly heap: StateHeap = new StateHeap(256),
  ) {
    this.dist = new Float64Array(graph.edgeCount);
    this.parent = new Int32Array(graph.edgeCount);
    this.stamp = new Int32Array(graph.edgeCount);
    this.order = new Int32Array(graph.edgeCount);
  }

  /** Bytes of label memory (20 per edge of the graph). */
  get byteLength(): number {
    return this.dist.byteLength + this.parent.byteLength + this.stamp.byteLength + this.order.byteLength;
  }

  run(costing: CostModel, from: number, maxSeconds: number, maxSettled: number): void {
    const g = this.graph;
    const { dist, parent, stamp, heap } = this;
    if (this.gen >= 0x7fff_fff0) {
      stamp.fill(0);
      this.gen = 0;
    }
    const gen = (this.gen += 2);
    const done = gen + 1;
    this.from = from;
    this.settled = 0;
    this.complete = false;
    costing.beginQuery?.();
    heap.clear();
    const lazy = g.lazy ?? null;
    const u = g.edgeTarget[from]!;
    if (lazy !== null && lazy.ready[u] === 0) lazy.ensure(u);
    for (let f = g.firstOut[u]!; f < g.firstOut[u + 1]!; f++) {
      const d = costing.turnCost(from, f) + costing.edgeCost(f);
      if (d === Infinity || (stamp[f] === gen && dist[f]! <= d)) continue;
      dist[f] = d;
      parent[f] = -1;
      stamp[f] = gen;
      heap.push(d, f, g.edgeTarget[f]!);
    }
    for (;;) {
      if (heap.size === 0) {
        this.complete = true;
        break;
      }
      if (heap.topKey() > maxSeconds || this.settled >= maxSettled) break;
      const e = heap.pop();
      if (stamp[e] !== gen) continue; // a stale duplicate of a settled state
      stamp[e] = done;
      this.order[this.settled++] = e;
      const base = dist[e]!;
      const v = heap.node;
      if (lazy !== null && lazy.ready[v] === 0) lazy.ensure(v);
      const end = g.firstOut[v + 1]!;
      for (let f = g.firstOut[v]!; f < end; f++) {
        const sf = stamp[f]!;
        if (sf === done) continue;
        const tc = costing.turnCost(e, f);
        if (tc === Infinity) continue;
        const c = costing.edgeCost(f);
        if (c === Infinity) continue;
        const nd = base + tc + c;
        if (sf === gen && dist[f]! <= nd) continue;
        dist[f] = nd;
        parent[f] = e;
        stamp[f] = gen;
        heap.push(nd, f, g.edgeTarget[f]!);
      }
    }
  }

  /** Whether the last run settled edge `e` (its cost is then final). */
  reached(e: number): boolean {
    return this.stamp[e] === this.gen + 1;
  }

  /**
   * Whether the last run settled an edge `e` with marks[e] === mark: a walk over its settled states,
   * for a search that settled fewer states than a route has edges to scan (see ClosureRepair).
   */
  reachesMarked(marks: Int32Array, mark: number): boolean {
    const order = this.order;
    for (let i = 0; i < this.settled; i++) if (marks[order[i]!] === mark) return true;
    return false;
  }

  /**
   * Whether the last run settled an edge within `metres` of (lat, lng) (as EdgeSnapper.snap measures):
   * a walk over its settled states, for a small search asked whether it could reach a point a snap
   * there would give (see ClosureRepair).
   */
  settlesWithin(lat: number, lng: number, metres: number): boolean {
    const order = this.order;
    const kx = lngMetres(lat);
    for (let i = 0; i < this.settled; i++) if (edgeDistanceScaled(this.graph, order[i]!, lat, lng, kx) <= metres) return true;
    return false;
  }

  /** Cost from the end of `from` to the end of `e` (only meaningful when reached(e)). */
  costTo(e: number): number {
    return this.dist[e]!;
  }

  /** Appends the detour's edges, in driving order, from the first edge after `from` to `e` itself. */
  pathInto(e: number, out: number[]): void {
    const start = out.length;
    for (let x = e; x !== -1; x = this.parent[x]!) out.push(x);
    // Reversed in place: the chain was walked from its end.
    for (let i = start, j = out.length - 1; i < j; i++, j--) {
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
  }
}

/** Rejoin costs closer than this (seconds) are equal. */
const REJOIN_TIE_S = 1e-6;

/**
 * Where a route blocked at segment `blocked` best rejoins itself after a detour out of the segment
 * before it (`search` run from edges[blocked - 1]): the segment j > blocked minimising
 * cost(detour to the end of edges[j]) + cost of the route after j, or -1 when no detour reaches a
 * usable rest of the route. `lastPart`: the share of the last edge the route drives (its end offset).
 *
 * The route's own cost after j is summed under the same costing (edge costs and turns, so closures
 * and slowdowns elsewhere on the rest of the route count). When the route was optimal and traffic
 * since then only made edges slower or closed them, the answer is the optimal route from the detour's
 * start: the optimal new path ends on the route (the destination is on it), and from the first route
 * edge it reaches, the rest of the old route is still optimal. What it cannot find is a route that
 * leaves the old one before the blocked edge's approach: callers check for that afterwards.
 *
 * `edgeCosts`: the cost under `costing` of each whole route edge but the last, by route position,
 * where the caller holds them already (a navigating car's RouteTrack.segS, when the costing weights no
 * edge: see CarCosting.weighted). One read per edge instead of costing it again: this scan is most
 * of a repair's own work on a long route, per car.
 */
export function bestRejoin(search: DetourSearch, costing: CostModel, edges: ArrayLike<number>, blocked: number, lastPart = 1, edgeCosts?: ArrayLike<number>): number {
  const n = edges.length;
  let best = -1;
  let minCost = Infinity;
  // Cost from the end of edges[j] to the destination along the route, built from the end backwards.
  let after = 0;
  for (let j = n - 1; j > blocked; j--) {
    const e = edges[j]!;
    const full = edgeCosts !== undefined && j < n - 1 ? edgeCosts[j]! : costing.edgeCost(e);
    if (search.reached(e)) {
      // Reaching the last edge means driving it whole; the route stops `lastPart` along it.
      const c = search.costTo(e) + after - (j === n - 1 ? full - partialCost(full, lastPart) : 0);
      // Equal costs (to rounding: the two sums add the same edges in different orders) prefer the
      // earlier rejoin, met while walking backwards: a detour whose tree path runs on along the old
      // route would otherwise be chosen at random, and be hundreds of edges longer than it needs.
      if (c <= minCost + REJOIN_TIE_S) best = j;
      if (c < minCost) minCost = c;
    }
    after += (j === n - 1 ? partialCost(full, lastPart) : full) + costing.turnCost(edges[j - 1]!, e);
    if (after === Infinity) break; // a closed edge or banned turn before this point: rejoin after it only
  }
  return best;
}

/**
 * Of the points a route may now end at (`ends`: RouteService.endPhantoms, when the rest of a route
 * cannot be rejoined), the index of the one cheapest to reach from the end of the search's approach edge, or
 * -1 when it reached none. A point is `offset` along its edge, and the labels cost whole edges.
 */
export function bestEnd(search: DetourSearch, costing: CostModel, ends: readonly Phantom[]): number {
  let best = -1;
  let minCost = Infinity;
  for (let k = 0; k < ends.length; k++) {
    const p = ends[k]!;
    if (!search.reached(p.edge)) continue;
    const full = costing.edgeCost(p.edge);
    const c = search.costTo(p.edge) - full + partialCost(full, p.offset);
    if (c < minCost) {
      minCost = c;
      best = k;
    }
  }
  return best;
}
