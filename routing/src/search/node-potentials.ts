import { haversineMeters } from '@locus/geo';
import type { RoadGraph } from '../graph/road-graph.js';
import { MAX_PHANTOMS, type Phantom } from './phantom.js';

// A module-local binding: transpiled imports may be read through a getter on every call.
const distance = haversineMeters;

/** none: Dijkstra. toTarget: A* (π_t). average: bidirectional A* ((π_t − π_s) / 2, Ikeda et al.). */
export type PotentialMode = 'none' | 'toTarget' | 'average';

/**
 * Node potentials for the searches, cached per node for the running query (generation stamps, no
 * clearing): an edge-based search reaches a node through each of its in-edges, so the great-circle
 * distances are computed once per node, not once per state.
 *
 * π_t(v) = secondsPerMeter · min distance from v to a target anchor (the source node of a target
 * phantom's edge: every path to the target passes through it), π_s likewise to the source anchors
 * (target nodes of source edges). Both are consistent because every edge costs at least
 * secondsPerMeter × the great-circle distance between its nodes (see CostModel.minSecondsPerMeter).
 */
export class NodePotentials {
  private readonly value: Float64Array;
  private readonly nearFlag: Uint8Array;
  private readonly stamp: Uint32Array;
  private readonly lat: Float64Array;
  private readonly lng: Float64Array;
  private readonly edgeSource: Uint32Array;
  private readonly edgeTarget: Uint32Array;
  private gen = 0;
  private mode: PotentialMode = 'none';
  private spm = 0;
  private nearMeters = Infinity;
  private readonly tLat = new Float64Array(MAX_PHANTOMS);
  private readonly tLng = new Float64Array(MAX_PHANTOMS);
  private readonly sLat = new Float64Array(MAX_PHANTOMS);
  private readonly sLng = new Float64Array(MAX_PHANTOMS);
  private nt = 0;
  private ns = 0;

  constructor(graph: RoadGraph) {
    this.lat = graph.nodeLat;
    this.lng = graph.nodeLng;
    this.edgeSource = graph.edgeSource;
    this.edgeTarget = graph.edgeTarget;
    this.value = new Float64Array(graph.nodeCount);
    this.nearFlag = new Uint8Array(graph.nodeCount);
    this.stamp = new Uint32Array(graph.nodeCount);
  }

  get byteLength(): number {
    return this.value.byteLength + this.nearFlag.byteLength + this.stamp.byteLength;
  }

  /** Forgets every cached value (the generation counter wrapped). */
  reset(): void {
    this.stamp.fill(0);
  }

  /**
   * Starts a query. `nearMeters`: isNear(v) says whether v lies within it of a source or target anchor
   * (the hierarchical mode's "local roads allowed here"); Infinity = everywhere.
   */
  begin(gen: number, mode: PotentialMode, secondsPerMeter: number, sources: readonly Phantom[], targets: readonly Phantom[], nearMeters = Infinity): void {
    this.gen = gen;
    this.mode = mode;
    this.spm = secondsPerMeter;
    this.nearMeters = nearMeters;
    this.ns = sources.length;
    this.nt = targets.length;
    for (let i = 0; i < this.ns; i++) this.anchor(this.edgeTarget[sources[i]!.edge]!, i, this.sLat, this.sLng);
    for (let i = 0; i < this.nt; i++) this.anchor(this.edgeSource[targets[i]!.edge]!, i, this.tLat, this.tLng);
  }

  /** The forward potential of node v: π_t(v) (toTarget), (π_t(v) − π_s(v)) / 2 (average), 0 (none). */
  at(v: number): number {
    if (this.stamp[v] === this.gen) return this.value[v]!;
    let val = 0;
    if (this.mode !== 'none') {
      const lat = this.lat[v]!;
      const lng = this.lng[v]!;
      const dt = minDistance(lat, lng, this.tLat, this.tLng, this.nt);
      if (this.mode === 'toTarget') val = dt * this.spm;
      else {
        const ds = minDistance(lat, lng, this.sLat, this.sLng, this.ns);
        val = ((dt - ds) * this.spm) / 2;
        this.nearFlag[v] = dt <= this.nearMeters || ds <= this.nearMeters ? 1 : 0;
      }
    }
    this.value[v] = val;
    this.stamp[v] = this.gen;
    return val;
  }

  /** Valid once at(v) has been called this query, in the average mode. */
  isNear(v: number): boolean {
    return this.nearFlag[v] === 1;
  }

  private anchor(node: number, i: number, lat: Float64Array, lng: Float64Array): void {
    lat[i] = this.lat[node]!;
    lng[i] = this.lng[node]!;
  }
}

function minDistance(lat: number, lng: number, aLat: Float64Array, aLng: Float64Array, n: number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const d = distance(lat, lng, aLat[i]!, aLng[i]!);
    if (d < best) best = d;
  }
  return best;
}
