import { EARTH_RADIUS_M } from '@locus/geo';
import type { RoadGraph } from '../graph/road-graph.js';
import { LandmarkBounds } from './landmark-bounds.js';
import type { Landmarks } from './landmarks.js';
import { MAX_PHANTOMS, type Phantom } from './phantom.js';

/** none: Dijkstra. toTarget: A* (π_t). average: bidirectional A* ((π_t − π_s) / 2, Ikeda et al.). */
export type PotentialMode = 'none' | 'toTarget' | 'average';

const RAD = Math.PI / 180;
const R = EARTH_RADIUS_M;

/**
 * Node potentials for the searches, cached per node for the running query (generation stamps, no
 * clearing): an edge-based search reaches a node through each of its in-edges, so the great-circle
 * distances are computed once per node, not once per state.
 *
 * π_t(v) = a lower bound on the seconds from v to a target anchor (the source node of a target
 * phantom's edge: every path to the target passes through it), π_s likewise from the source anchors
 * (target nodes of source edges): secondsPerMeter × great-circle metres, or with landmarks the ALT
 * bound (see Landmarks). Both kinds are consistent: every edge costs at least secondsPerMeter × the
 * great-circle distance between its nodes (CostModel.minSecondsPerMeter), and landmark distances obey
 * the triangle inequality over costs no higher than the real ones.
 *
 * One 16-byte record per node, so a lookup is one cache line:
 *   cache[2v]      the forward potential of v
 *   cache[2v + 1]  tag: below the query's generation g = not computed this query; g = computed;
 *                  g + 0.5 = computed, and v is within nearMeters of an anchor (average mode only)
 *
 * Searches read cache[2v] after `if (cache[2v + 1] < gen) fill(v)`: a method returning a double
 * that is not inlined boxes it, one heap allocation per call; filling an array allocates nothing.
 */
export class NodePotentials {
  readonly cache: Float64Array;
  private readonly lat: Float64Array;
  private readonly lng: Float64Array;
  private readonly edgeSource: Uint32Array;
  private readonly edgeTarget: Uint32Array;
  private gen = 0;
  /** 0 none, 1 toTarget, 2 average. */
  private mode = 0;
  private spm = 0;
  private nearMeters = Infinity;
  // Anchors with their latitude terms precomputed (see distance()).
  private readonly tLng = new Float64Array(MAX_PHANTOMS);
  private readonly tSin = new Float64Array(MAX_PHANTOMS);
  private readonly tCos = new Float64Array(MAX_PHANTOMS);
  private readonly sLng = new Float64Array(MAX_PHANTOMS);
  private readonly sSin = new Float64Array(MAX_PHANTOMS);
  private readonly sCos = new Float64Array(MAX_PHANTOMS);
  private readonly sNode = new Int32Array(MAX_PHANTOMS);
  private readonly tNode = new Int32Array(MAX_PHANTOMS);
  private nt = 0;
  private ns = 0;
  private readonly alt = new LandmarkBounds();

  constructor(graph: RoadGraph) {
    this.lat = graph.nodeLat;
    this.lng = graph.nodeLng;
    this.edgeSource = graph.edgeSource;
    this.edgeTarget = graph.edgeTarget;
    this.cache = new Float64Array(2 * graph.nodeCount);
  }

  get byteLength(): number {
    return this.cache.byteLength;
  }

  /** Forgets every cached value (the generation counter wrapped). */
  reset(): void {
    this.cache.fill(0);
  }

  /**
   * Starts a query. `nearMeters`: the tag says whether v lies within it (great-circle) of a source
   * or target anchor (the hierarchical mode's "local roads allowed here"); Infinity = not needed.
   * `landmarks`: use their bounds instead of straight-line distance.
   */
  begin(gen: number, mode: PotentialMode, secondsPerMeter: number, sources: readonly Phantom[], targets: readonly Phantom[], nearMeters = Infinity, landmarks: Landmarks | null = null): void {
    this.gen = gen;
    this.mode = mode === 'none' ? 0 : mode === 'toTarget' ? 1 : 2;
    this.spm = secondsPerMeter;
    this.nearMeters = nearMeters;
    this.ns = sources.length;
    this.nt = targets.length;
    for (let i = 0; i < this.ns; i++) {
      this.sNode[i] = this.edgeTarget[sources[i]!.edge]!;
      this.anchor(this.sNode[i]!, i, this.sLng, this.sSin, this.sCos);
    }
    for (let i = 0; i < this.nt; i++) {
      this.tNode[i] = this.edgeSource[targets[i]!.edge]!;
      this.anchor(this.tNode[i]!, i, this.tLng, this.tSin, this.tCos);
    }
    this.alt.begin(this.mode === 0 ? null : landmarks, this.sNode.subarray(0, this.ns), this.tNode.subarray(0, this.nt));
  }

  /** Computes and caches node v's potential: (π_t − π_s) / 2 (average), π_t (toTarget), 0 (none). */
  fill(v: number): void {
    let val = 0;
    let tag = this.gen;
    if (this.mode !== 0) {
      const alt = this.alt.enabled;
      const near = this.nearMeters !== Infinity;
      // Great-circle metres to the nearest anchors, when the bound or the near test needs them.
      let dt = 0;
      let ds = 0;
      if (!alt || near) {
        const p = this.lat[v]! * RAD;
        const sp = Math.sin(p);
        const cp = Math.cos(p);
        const lng = this.lng[v]!;
        dt = minDistance(sp, cp, lng, this.tLng, this.tSin, this.tCos, this.nt);
        if (this.mode === 2) ds = minDistance(sp, cp, lng, this.sLng, this.sSin, this.sCos, this.ns);
      }
      const toTarget = alt ? this.alt.toTarget(v) : dt * this.spm;
      if (this.mode === 1) val = toTarget;
      else {
        const fromSource = alt ? this.alt.fromSource(v) : ds * this.spm;
        val = (toTarget - fromSource) / 2;
        if (near && (dt <= this.nearMeters || ds <= this.nearMeters)) tag += 0.5;
      }
    }
    this.cache[2 * v] = val;
    this.cache[2 * v + 1] = tag;
  }

  private anchor(node: number, i: number, lng: Float64Array, sin: Float64Array, cos: Float64Array): void {
    const p = this.lat[node]! * RAD;
    lng[i] = this.lng[node]!;
    sin[i] = Math.sin(p);
    cos[i] = Math.cos(p);
  }
}

/**
 * Great-circle metres from a node (sin and cos of its latitude, its longitude) to the nearest anchor:
 * the atan2 formula of haversineMeters (the one distance Locus uses), term for term, with the
 * latitude terms computed once per node and per anchor instead of once per pair.
 */
function minDistance(sp1: number, cp1: number, lng1: number, aLng: Float64Array, aSin: Float64Array, aCos: Float64Array, n: number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const sp2 = aSin[i]!;
    const cp2 = aCos[i]!;
    const dl = (aLng[i]! - lng1) * RAD;
    const sdl = Math.sin(dl);
    const cdl = Math.cos(dl);
    const x = cp2 * sdl;
    const y = cp1 * sp2 - sp1 * cp2 * cdl;
    const d = R * Math.atan2(Math.sqrt(x * x + y * y), sp1 * sp2 + cp1 * cp2 * cdl);
    if (d < best) best = d;
  }
  return best;
}
