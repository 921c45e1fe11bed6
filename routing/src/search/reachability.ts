import type { LiveSpeeds } from '../cost/car-costing.js';
import { edgeRecords, RESTRICTED_BIT } from '../cost/edge-records.js';
import { turnKey, type RoadGraph } from '../graph/road-graph.js';

/**
 * Which edges a car cannot reach under the live closures and the turn restrictions: a quick, certain
 * "no route" without a search.
 *
 * Why: when closures cut a pocket of the map off (a dead end, a one-way stretch, a place reached only
 * by a turn that is now closed), every car routed into it needs a new route and none exists, and
 * proving that by search explores both sides until one is exhausted — 5–10 ms per car on Monaco, over
 * a hundred cars per closure in `bench:reroute`. Here one pass over the graph per traffic version
 * (strongly connected components of the edge graph: an edge leads to the open edges a permitted turn
 * takes it to, as the search drives) and one walk per component the cars are in (every edge of a
 * component reaches what any of them reaches) answer every car.
 *
 * Blind to avoid options: it may say "reachable" where no route exists (the caller searches then),
 * never the other way round. Kept until the closures change (LiveSpeedTable.closureVersion; any
 * traffic batch for an overlay without one) or the first closure it counted expires. Not for lazily
 * loaded graphs (unloaded tiles cannot be walked): `cannotReach` is then always false.
 */
export class OpenReachability {
  private comp = new Int32Array(0);
  private comps = 0;
  /** Per source component walked so far (this version): the components it reaches. */
  private readonly reachedFrom = new Map<number, Uint8Array>();
  private isOpen = new Uint8Array(0);
  private version = Number.NaN;
  /** Passes over the graph so far (one per change of the closures in force). */
  passes = 0;
  private validUntil = -Infinity;
  /** The condensation of this version (see buildCondensation); empty until the first walk. */
  private dagFirst = new Int32Array(0);
  private dagNext = new Int32Array(0);
  private queue = new Int32Array(0);
  private work: TarjanArrays | null = null;

  constructor(
    private readonly graph: RoadGraph,
    /** `closureVersion` where the overlay keeps one (LiveSpeedTable): the pass is then kept through speed-only batches. */
    private readonly live: LiveSpeeds & { readonly version: number; readonly closureVersion?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** True when edge `to` certainly cannot be reached from edge `from` over open edges. False means "maybe": search. */
  cannotReach(from: number, to: number): boolean {
    if (this.graph.lazy) return false;
    const now = this.now();
    if ((this.live.closureVersion ?? this.live.version) !== this.version || now >= this.validUntil) this.compute(now);
    const cf = this.comp[from]!;
    const ct = this.comp[to]!;
    if (cf === ct || cf < 0 || ct < 0) return false;
    let reached = this.reachedFrom.get(cf);
    if (!reached) {
      // The cars of one closure sit in a handful of components (mostly the largest): one walk each.
      if (this.reachedFrom.size >= 64) this.reachedFrom.clear();
      reached = this.walk(from);
      this.reachedFrom.set(cf, reached);
    }
    return reached[ct] === 0;
  }

  /**
   * The components reachable from edge `from` (so from its whole component): a walk over the graph of
   * components (condensation), made on the first walk of a version. Walking edges instead cost a pass
   * over the open network per source component, and the cars of a big closure sit in tens of small
   * ones (one-way stretches): ~45 ms of a 1,675-car closure in bench:closure.
   */
  private walk(from: number): Uint8Array {
    if (this.dagFirst.length !== this.comps + 1) this.buildCondensation();
    const first = this.dagFirst;
    const next = this.dagNext;
    const reached = new Uint8Array(this.comps);
    const queue = this.queue.length >= this.comps ? this.queue : (this.queue = new Int32Array(this.comps));
    let tail = 0;
    const c0 = this.comp[from]!;
    reached[c0] = 1;
    queue[tail++] = c0;
    for (let q = 0; q < tail; q++) {
      const c = queue[q]!;
      for (let k = first[c]!; k < first[c + 1]!; k++) {
        const d = next[k]!;
        if (reached[d] === 1) continue;
        reached[d] = 1;
        queue[tail++] = d;
      }
    }
    return reached;
  }

  /** The condensation: per component, the other components a permitted turn out of it enters (CSR, duplicates kept). */
  private buildCondensation(): void {
    const g = this.graph;
    const banned = g.bannedTurns;
    const rec = edgeRecords(g).u32;
    const isOpen = this.isOpen;
    const comp = this.comp;
    const comps = this.comps;
    const count = new Int32Array(comps + 1);
    // Two passes over the permitted turns between open edges of different components: count, then fill.
    for (let pass = 0; pass < 2; pass++) {
      for (let e = 0; e < g.edgeCount; e++) {
        const ce = comp[e]!;
        if (ce < 0) continue;
        const v = g.edgeTarget[e]!;
        for (let f = g.firstOut[v]!; f < g.firstOut[v + 1]!; f++) {
          const cf = comp[f]!;
          // The set of banned turns only for an edge that starts one (a lookup per turn: a quarter of the pass).
          if (cf === ce || isOpen[f] === 0 || ((rec[4 * e + 3]! & RESTRICTED_BIT) !== 0 && banned.has(turnKey(e, f)))) continue;
          if (pass === 0) count[ce + 1]!++;
          else this.dagNext[count[ce]!++] = cf;
        }
      }
      if (pass === 0) {
        for (let c = 0; c < comps; c++) count[c + 1]! += count[c]!;
        this.dagFirst = count.slice();
        this.dagNext = new Int32Array(count[comps]!);
      }
    }
  }

  /** Tarjan's strongly connected components over edges, iteratively (the graph is deeper than the call stack). */
  private compute(now: number): void {
    const g = this.graph;
    const n = g.edgeCount;
    const { speed, expires } = this.live;
    const banned = g.bannedTurns;
    const rec = edgeRecords(g).u32;
    let validUntil = Infinity;
    const open = (e: number): boolean => {
      if (speed[e] !== 0 || !(expires[e]! > now)) return true;
      if (expires[e]! < validUntil) validUntil = expires[e]!;
      return false;
    };
    const isOpen = this.isOpen.length === n ? this.isOpen : new Uint8Array(n);
    for (let e = 0; e < n; e++) isOpen[e] = open(e) ? 1 : 0;
    // Successors of edge e: the open edges out of its end node that a permitted turn reaches.
    const step = (e: number, f: number): boolean => isOpen[f] === 1 && ((rec[4 * e + 3]! & RESTRICTED_BIT) === 0 || !banned.has(turnKey(e, f)));
    // The pass's working arrays are kept for the next pass: it runs once per closure, and new ones
    // each time were ~0.7 MB of ArrayBuffers in a closure's answer (see TrackBuffers: they bring a
    // full collection nearer, and one that starts during the answer slows it down).
    const w = this.work && this.work.index.length === n ? this.work : (this.work = tarjanArrays(n));
    const { index, low, onStack, stack, callEdge, callNext } = w;
    index.fill(-1);
    onStack.fill(0);
    const comp = this.comp.length === n ? this.comp : (this.comp = new Int32Array(n));
    comp.fill(-1);
    let sp = 0;
    let counter = 0;
    let comps = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] !== -1 || isOpen[root] === 0) continue;
      let depth = 0;
      callEdge[0] = root;
      callNext[0] = g.firstOut[g.edgeTarget[root]!]!;
      index[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      while (depth >= 0) {
        const v = callEdge[depth]!;
        const f = callNext[depth]!;
        if (f < g.firstOut[g.edgeTarget[v]! + 1]!) {
          callNext[depth] = f + 1;
          if (!step(v, f)) continue;
          if (index[f] === -1) {
            index[f] = low[f] = counter++;
            stack[sp++] = f;
            onStack[f] = 1;
            depth++;
            callEdge[depth] = f;
            callNext[depth] = g.firstOut[g.edgeTarget[f]!]!;
          } else if (onStack[f] === 1 && index[f]! < low[v]!) low[v] = index[f]!;
          continue;
        }
        // v is done: a root pops its component; then back to the caller.
        if (low[v] === index[v]) {
          let w: number;
          do {
            w = stack[--sp]!;
            onStack[w] = 0;
            comp[w] = comps;
          } while (w !== v);
          comps++;
        }
        depth--;
        if (depth >= 0) {
          const u = callEdge[depth]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
    this.comps = comps;
    this.isOpen = isOpen;
    this.reachedFrom.clear();
    this.dagFirst = new Int32Array(0);
    this.version = this.live.closureVersion ?? this.live.version;
    this.validUntil = validUntil;
    this.passes++;
  }
}

/** Working arrays of one strongly-connected-components pass over n edges. */
interface TarjanArrays {
  index: Int32Array;
  low: Int32Array;
  onStack: Uint8Array;
  stack: Int32Array;
  callEdge: Int32Array;
  callNext: Int32Array;
}

function tarjanArrays(n: number): TarjanArrays {
  return { index: new Int32Array(n), low: new Int32Array(n), onStack: new Uint8Array(n), stack: new Int32Array(n), callEdge: new Int32Array(n), callNext: new Int32Array(n) };
}
