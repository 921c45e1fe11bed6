import { edgeRecords } from '../cost/edge-records.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { nodeDijkstra, UNREACHED } from './node-dijkstra.js';
import { Rng } from '../synthetic/rng.js';

export interface LandmarkOptions {
  /** Landmarks (default 8; each costs 8 bytes per node). */
  count?: number;
  /** Seed of the first, random, pick (default 1). */
  seed?: number;
}

/**
 * ALT landmarks (Goldberg & Harrelson): exact free-flow travel times from and to a few far-apart
 * nodes, giving by the triangle inequality a lower bound on the time between any two nodes —
 *   d(v, t) ≥ max over L of  d(L, t) − d(L, v)  and  d(v, L) − d(t, L)
 * — far tighter than straight-line distance at motorway speed wherever roads are slower or
 * winding. A preprocessing step per graph (2 × count one-to-all searches); any costing whose edge
 * costs never drop below free-flow times (CostModel.freeFlowLowerBound) may use it, live traffic and
 * avoidance included, and the searches stay exact.
 *
 * Times are whole milliseconds over per-edge free-flow times rounded down, so the stored distances
 * are exact shortest paths of a graph no dearer than the real one: the bounds are admissible and
 * exactly consistent (no float rounding to break the stopping rules).
 *
 * Layout: dist[v · 2k + i] = d(L_i, v), dist[v · 2k + k + i] = d(v, L_i), ms, UNREACHED where none:
 * one node's bounds share a cache line (k = 8: 64 bytes).
 */
export class Landmarks {
  readonly count: number;
  readonly nodes: Uint32Array;
  readonly dist: Uint32Array;

  private constructor(readonly graph: RoadGraph, nodes: Uint32Array, dist: Uint32Array) {
    this.count = nodes.length;
    this.nodes = nodes;
    this.dist = dist;
  }

  /** Landmarks computed elsewhere (stored with the routing tiles and loaded with them: LazyTileGraph). */
  static fromParts(graph: RoadGraph, nodes: Uint32Array, dist: Uint32Array): Landmarks {
    if (dist.length !== graph.nodeCount * 2 * nodes.length) throw new RangeError('landmarks: one row of 2 × count distances per node');
    return new Landmarks(graph, nodes, dist);
  }

  get byteLength(): number {
    return this.dist.byteLength;
  }

  /**
   * Farthest-first selection: the first landmark is the node farthest from a random one, each next
   * the node farthest (by free-flow time from the landmarks) from all chosen so far, so they spread
   * to the edges of the map, where their bounds are tightest for the trips between.
   */
  static build(graph: RoadGraph, options: LandmarkOptions = {}): Landmarks {
    const k = Math.max(1, Math.min(options.count ?? 8, 32, graph.nodeCount));
    const n = graph.nodeCount;
    const ms = freeFlowMilliseconds(graph);
    const dist = new Uint32Array(n * 2 * k);
    const nodes = new Uint32Array(k);
    const scratch = new Uint32Array(n);
    nodeDijkstra(graph, ms, new Rng(options.seed ?? 1).int(n), false, scratch, 1, 0);
    /** Smallest distance from any chosen landmark, per node (reached nodes only). */
    const nearest = new Float64Array(n).fill(Infinity);
    let next = farthest(scratch, nearest);
    for (let i = 0; i < k; i++) {
      nodes[i] = next;
      nodeDijkstra(graph, ms, next, false, dist, 2 * k, i);
      nodeDijkstra(graph, ms, next, true, dist, 2 * k, k + i);
      for (let v = 0; v < n; v++) {
        const d = dist[v * 2 * k + i]!;
        if (d !== UNREACHED && d < nearest[v]!) nearest[v] = d;
      }
      next = farthest(null, nearest);
    }
    return new Landmarks(graph, nodes, dist);
  }
}

/** Per-edge free-flow time in whole milliseconds, rounded down (UNREACHED for an unusable edge). */
function freeFlowMilliseconds(graph: RoadGraph): Uint32Array {
  const { f32 } = edgeRecords(graph);
  const ms = new Uint32Array(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e++) {
    const s = f32[4 * e + 2]!;
    ms[e] = Number.isFinite(s) ? Math.min(UNREACHED - 1, Math.floor(s * 1000)) : UNREACHED;
  }
  return ms;
}

/** The node with the largest finite value (of `d`, or of `nearest` when d is null). */
function farthest(d: Uint32Array | null, nearest: Float64Array): number {
  let best = 0;
  let bestD = -1;
  for (let v = 0; v < nearest.length; v++) {
    const x = d ? (d[v] === UNREACHED ? -1 : d[v]!) : nearest[v] === Infinity ? -1 : nearest[v]!;
    if (x > bestD) {
      bestD = x;
      best = v;
    }
  }
  return best;
}
