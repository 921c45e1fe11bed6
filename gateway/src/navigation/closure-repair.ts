import type { NavOptions } from '@locus/protocol';
import { bestEnd, bestRejoin, CarCosting, DetourSearch, DetourShare, edgeDistanceM, offsetOn, StateHeap, type AvoidOptions, type DetourPlan, type LiveSpeeds, type Phantom, type RoadGraph, type RouteTrack } from '@locus/routing';

/** A repaired route: the change to the old route, and where on its first and last edge it starts and ends. */
export class RepairedPath {
  private built: number[] | null = null;

  constructor(
    private readonly track: RouteTrack,
    /** The change relative to the old route (for spliceDetour / a route patch). */
    readonly plan: DetourPlan,
    readonly fromOffset: number,
    readonly toOffset: number,
  ) {}

  /** The edges to drive from the car's position: made on first use (a patch never needs them). */
  get edges(): number[] {
    if (this.built) return this.built;
    const { seg, approach, rejoin, detour } = this.plan;
    const t = this.track.edges;
    const edges: number[] = [];
    for (let i = seg; i <= approach; i++) edges.push(t[i]!);
    for (let k = 0; k < detour.length; k++) edges.push(detour[k]!);
    for (let i = rejoin + 1; i < t.length; i++) edges.push(t[i]!);
    return (this.built = edges);
  }
}

/** A detour out of one search tree, and what splices of it share. */
interface SharedDetour {
  detour: number[];
  share: DetourShare;
}

/** Label memory the detour searches may hold together (20 bytes per graph edge each). */
const POOL_BYTES = 64 * 1024 * 1024;
const MAX_POOL = 64;
/** How far a detour search looks: far beyond any sensible detour, and a bound on its work in a big graph. */
const DETOUR_MAX_SECONDS = 30 * 60;
const DETOUR_MAX_SETTLED = 200_000;
/**
 * How many route edges back from the closure a detour may start (beyond that: a search of the car's
 * own) — until the destination is known not to be cut off; then as far back as the car.
 */
const MAX_STEP_BACK = 64;
/** States the searches of one repair may settle without finding a rejoin before it gives up. */
const STEP_BACK_BUDGET = 5_000;
/** The same once the destination is known not to be cut off (a route exists from the car). */
const STEP_BACK_BUDGET_ROUTE_EXISTS = 100_000;
/** Settled states up to which a search is checked edge by edge against the destination (missesEnd). */
const SMALL_SEARCH = 256;


/**
 * The quick answer to a closure on a navigating car's route: keep the route up to the last junction
 * before the closure, take the best detour from there, and rejoin the route where that is cheapest
 * (DetourSearch + bestRejoin: exact from the detour's start when traffic only slowed or closed
 * roads since the route was made). Every car that reaches the closure over the same approach edge,
 * with the same avoid options, shares one detour search, so a closure on a road hundreds of routes use
 * costs a few searches and a scan of each route instead of a search per car. A search is kept for the
 * traffic version it was computed under; a newer batch computes it again.
 *
 * Not for: a car already on the closed edge, a car off its route, a route with vias still ahead (a
 * detour may skip one) — the caller routes those from scratch.
 */
export class ClosureRepair {
  private readonly pool: DetourSearch[] = [];
  private readonly poolKeys: string[] = [];
  /** Per pool slot, the detours taken from its search so far, by rejoin edge (cars share them, see DetourShare). */
  private readonly poolDetours: Map<number, SharedDetour>[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly poolSize: number;
  /** Slots [0, used) have held a search; those after were made ahead (prepare) and not used yet. */
  private used = 0;
  private next = 0;
  /** The frontier all the pool's searches share (they run one at a time). */
  private readonly heap = new StateHeap(4096);
  /**
   * Per graph edge, the repair (its number, `mark`) whose route has it after the closure: marked once
   * a car steps back, so that a search smaller than the rest of the route is checked by its own
   * states (DetourSearch.reachesMarked) instead of by a scan of the route. Stepping back through a
   * one-way stretch runs a tiny search per edge: in the slowest closure of a bench:reroute run, 1,378
   * cars stepped back 21,864 times, and 20,498 of those searches reached none of the car's route.
   */
  private readonly marks: Int32Array;
  private mark = 0;
  /** Approach edges (with options and traffic version) whose search settled nothing. */
  private readonly dead = new Set<string>();
  private deadVersion = -1;
  private readonly costings = new Map<string, CarCosting>();
  /**
   * The same for searches with no avoid options, by edge: the slot (+ 1) last run out of each approach
   * edge (valid while that slot still holds it: slotEdge, slotVersion), and the traffic version (+ 1)
   * under which the edge had no way out.
   */
  private readonly slotAt: Int32Array;
  private readonly deadAt: Float64Array;
  private readonly slotEdge: Int32Array;
  private readonly slotVersion: Float64Array;
  /** Detour searches run, and repairs answered from one already run. */
  searches = 0;
  reused = 0;
  /** Milliseconds the detour searches took, in all (for the log line of a slow answer). */
  searchMs = 0;
  /** Distinct detours taken out of the searches (each described once: DetourShare), and their edges. */
  detours = 0;
  detourEdges = 0;

  constructor(
    private readonly graph: RoadGraph,
    private readonly live: LiveSpeeds & { readonly version: number },
    private readonly now: () => number,
    /** Certainly no open road from edge `from` to the destination on edge `to` (RouteService.edgeUnreachable). */
    private readonly cutOff: (from: number, to: number) => boolean = () => false,
    /** Where a route to (lat, lng) ends under `costing` (RouteService.endPhantoms): for a route whose rest cannot be rejoined. */
    private readonly ends: (lat: number, lng: number, costing: CarCosting) => Phantom[] | null = () => null,
  ) {
    this.marks = new Int32Array(graph.edgeCount);
    this.poolSize = Math.max(1, Math.min(MAX_POOL, Math.floor(POOL_BYTES / (20 * Math.max(1, graph.edgeCount)))));
    this.slotAt = new Int32Array(graph.edgeCount);
    this.deadAt = new Float64Array(graph.edgeCount);
    this.slotEdge = new Int32Array(this.poolSize).fill(-1);
    this.slotVersion = new Float64Array(this.poolSize);
  }

  /**
   * The repaired route of a car at `fraction` along segment `seg` of `track`, whose segment times
   * (track.updateTimes) already show the closure as Infinity. Null when there is no closure ahead to
   * repair this way or no detour reaches the rest of the route. `to`: the trip's destination (the
   * point the route's end was snapped from), for a route whose rest cannot be rejoined.
   */
  repair(track: RouteTrack, seg: number, fraction: number, options: NavOptions, to?: { lat: number; lng: number }): RepairedPath | null {
    const n = track.segments;
    let blocked = -1;
    for (let i = seg; i < n; i++) {
      if (track.segS[i] === Infinity) {
        blocked = i;
        break;
      }
    }
    if (blocked <= seg) return null; // none ahead, or the car is on it
    const { key, costing } = this.costingFor(options);
    // Where a search would now end the route: the trip's destination (`to`, where the route's end was
    // snapped from) snapped to the nearest road the car can drive, on each direction of a two-way
    // street. Asked only when the rest of the route cannot be rejoined: its own road closed (no rest
    // to rejoin), or reached only through the closure (the end of a one-way or dead-end stretch,
    // while the other direction of the destination's street is open). Each such car searched whole
    // before: in 100-closure bench:reroute runs, closures where 300-650 routes ended so took 0.9-3.2 s.
    let ends: Phantom[] | null | undefined;
    const destLat = to?.lat ?? track.lat[n]!;
    const destLng = to?.lng ?? track.lng[n]!;
    let end: Phantom | null = null;
    const toOffset = offsetOn(this.graph, track.edges[n - 1]!, track.lat[n]!, track.lng[n]!);
    // While the route's last edge is open, a snap of the destination lands no farther from it than
    // that edge: a small search that settled nothing so near cannot reach where the route would end,
    // and the snap (~10-30 µs) is left out (most searches of a car stepping back are such).
    const routeEnd = track.edges[n - 1]!;
    const endReach = blocked < n - 1 && costing.usable(routeEnd) ? edgeDistanceM(this.graph, routeEnd, destLat, destLng) : -1;
    // The detour leaves the route at the last junction before the closure that has a way round: the
    // node right before it may have no other way out (a one-way street's middle), so step back.
    let approach = blocked - 1;
    let slot = -1;
    let rejoin = -1;
    // Searches that explore without reaching the rest of the route mean the closure probably cut the
    // destination off: past this much work the car's own search decides (and says NO_ROUTE quickly).
    let budget = STEP_BACK_BUDGET;
    let askedCutOff = false;
    let stop = Math.max(seg, blocked - 1 - MAX_STEP_BACK);
    let marked = false;
    for (; approach >= stop && budget > 0; approach--) {
      slot = this.searchFor(track.edges[approach]!, key, costing);
      if (slot < 0) continue;
      const search = this.pool[slot]!;
      rejoin = -1;
      if (blocked < n - 1) {
        // After the first approach, a search with fewer states than the route's rest is first asked
        // whether it reached the rest at all (bestRejoin finds nothing otherwise).
        if (approach < blocked - 1 && search.settled < n - blocked && !marked) {
          marked = true;
          const m = (this.mark = this.mark >= 0x7fff_fffe ? 1 : this.mark + 1);
          if (m === 1) this.marks.fill(0);
          for (let j = blocked + 1; j < n; j++) this.marks[track.edges[j]!] = m;
        }
        // The track's segment times are the unweighted costing's edge costs (whole edges: all but the ends).
        if (!marked || search.settled >= n - blocked || search.reachesMarked(this.marks, this.mark)) rejoin = bestRejoin(search, costing, track.edges, blocked, toOffset, costing.weighted ? undefined : track.segS);
      }
      if (rejoin < 0) {
        if (ends === undefined && !this.missesEnd(search, destLat, destLng, endReach)) ends = this.ends(destLat, destLng, costing);
        const k = ends ? bestEnd(search, costing, ends) : -1;
        if (k >= 0) {
          end = ends![k]!;
          rejoin = n - 1;
        }
      }
      if (rejoin >= 0) break;
      // No way back onto the route from here: if the closure cut the destination off, stepping back
      // (tens of searches) cannot help; the caller answers NO_ROUTE.
      if (!askedCutOff) {
        askedCutOff = true;
        const from = track.edges[seg]!;
        if (ends ? ends.every((p) => this.cutOff(from, p.edge)) : this.cutOff(from, track.edges[n - 1]!)) return null;
        // Not cut off: a route leaves from somewhere between the car and here, so step back as far
        // as the car, with more work allowed. (In 100-closure bench:reroute runs, routes ran ~100
        // edges inside a stretch whose ways out had all closed: each car then searched whole.)
        stop = seg;
        budget = STEP_BACK_BUDGET_ROUTE_EXISTS;
      }
      budget -= search.settled;
      // Route edges just before this approach that its search reached, when it settled everything it
      // could reach, lie in the same trap: whatever a detour from them reaches, this one reached. The
      // next search starts before them.
      if (search.complete) while (approach - 1 >= stop && search.reached(track.edges[approach - 1]!)) approach--;
    }
    if (rejoin < 0 || slot < 0) return null;
    // Cars that reach the closure over the same approach mostly rejoin on the same edge: one detour
    // each (keyed by the edge it ends on; a new end's as -1 - edge).
    const lastEdge = end ? end.edge : track.edges[rejoin]!;
    const detourKey = end ? -1 - lastEdge : lastEdge;
    const detours = this.poolDetours[slot]!;
    let shared = detours.get(detourKey);
    if (!shared) {
      const detour: number[] = [];
      this.pool[slot]!.pathInto(lastEdge, detour);
      shared = { detour, share: new DetourShare() };
      detours.set(detourKey, shared);
      this.detours++;
      this.detourEdges += detour.length;
    }
    const lat = track.lat[seg]! + (track.lat[seg + 1]! - track.lat[seg]!) * fraction;
    const lng = track.lng[seg]! + (track.lng[seg + 1]! - track.lng[seg]!) * fraction;
    return new RepairedPath(track, { seg, fraction, approach, rejoin, detour: shared.detour, share: shared.share }, offsetOn(this.graph, track.edges[seg]!, lat, lng), end ? end.offset : toOffset);
  }

  /**
   * Whether `search` certainly reaches no point a snap of the destination could give: it settled
   * everything it could reach, little of it, and none within `endReach` metres of the destination
   * (-1: not known; see repair).
   */
  private missesEnd(search: DetourSearch, lat: number, lng: number, endReach: number): boolean {
    return endReach >= 0 && search.complete && search.settled <= SMALL_SEARCH && !search.settlesWithin(lat, lng, endReach + 1e-6);
  }

  /**
   * Make up to `count` more of the pool's searches ahead of need (each holds 20 bytes per graph edge;
   * ~1 ms to make on Monaco). Made during a closure's answer instead, the first closures paid for
   * them: their memory is what brings V8's next full collection nearer (see TrackBuffers).
   */
  prepare(count: number): void {
    for (let k = 0; k < count && this.pool.length < this.poolSize; k++) this.addSearch();
  }

  /** Searches made so far, and how many the pool holds at most. */
  get poolFill(): { made: number; size: number } {
    return { made: this.pool.length, size: this.poolSize };
  }

  private addSearch(): void {
    this.pool.push(new DetourSearch(this.graph, this.heap));
    this.poolKeys.push('');
    this.poolDetours.push(new Map());
  }

  /** The costing a session's routes are searched with (RouteService's: live speeds, its avoid options). */
  private costingFor(options: NavOptions): { key: string; costing: CarCosting } {
    const a = options.avoid;
    const key = a ? `${a.tolls ?? ''}|${a.highways ?? ''}|${a.ferries ?? ''}` : '';
    let costing = this.costings.get(key);
    if (!costing) {
      costing = new CarCosting(this.graph, { live: this.live, now: this.now, avoid: avoidOf(options) });
      if (this.costings.size >= 64) this.costings.clear(); // only a handful of option sets exist in practice
      this.costings.set(key, costing);
    }
    return { key, costing };
  }

  /** The pool slot of the detour search out of `approach`, run or reused; -1 when the approach has no way out at all. */
  private searchFor(approach: number, optionsKey: string, costing: CarCosting): number {
    const version = this.live.version;
    // Cars with no avoid options (nearly all) look their searches up by edge: a car stepping back
    // through a one-way stretch asks once per edge, thousands of times in a big closure, and a string
    // key and two hash lookups per ask were a good part of that.
    const plain = optionsKey === '';
    if (plain) {
      if (this.deadAt[approach] === version + 1) return -1;
      const at = this.slotAt[approach]! - 1;
      if (at >= 0 && this.slotEdge[at] === approach && this.slotVersion[at] === version) {
        this.reused++;
        return at;
      }
    }
    if (version !== this.deadVersion) {
      this.dead.clear();
      this.deadVersion = version;
    }
    const key = `${approach}|${optionsKey}|${version}`;
    if (!plain) {
      if (this.dead.has(key)) return -1;
      const at = this.slotOf.get(key);
      if (at !== undefined) {
        this.reused++;
        return at;
      }
    }
    let slot: number;
    if (this.used < this.pool.length || this.pool.length < this.poolSize) {
      if (this.used === this.pool.length) this.addSearch();
      slot = this.used++;
    } else {
      slot = this.next;
      this.next = (this.next + 1) % this.poolSize;
    }
    const search = this.pool[slot]!;
    this.slotOf.delete(this.poolKeys[slot]!);
    this.slotEdge[slot] = -1;
    this.poolDetours[slot]!.clear();
    const t0 = performance.now();
    search.run(costing, approach, DETOUR_MAX_SECONDS, DETOUR_MAX_SETTLED);
    this.searchMs += performance.now() - t0;
    this.searches++;
    if (search.settled === 0) {
      // A node with no way out but the closed road (inside a one-way stretch): remembered, and the
      // slot freed, so stepping back through such nodes does not evict the searches worth keeping.
      if (plain) this.deadAt[approach] = version + 1;
      else this.dead.add(key);
      this.poolKeys[slot] = '';
      if (slot === this.used - 1) this.used--;
      else this.next = slot;
      return -1;
    }
    this.poolKeys[slot] = key;
    this.slotOf.set(key, slot);
    if (plain) {
      this.slotEdge[slot] = approach;
      this.slotVersion[slot] = version;
      this.slotAt[approach] = slot + 1;
    }
    return slot;
  }
}

/** A session's avoid options as the routing engine takes them (the wire type may not import server code). */
export function avoidOf(options: NavOptions): AvoidOptions {
  const avoid: AvoidOptions = {};
  const a = options.avoid;
  if (a?.tolls !== undefined) avoid.tolls = a.tolls;
  if (a?.highways !== undefined) avoid.highways = a.highways;
  if (a?.ferries !== undefined) avoid.ferries = a.ferries;
  return avoid;
}
