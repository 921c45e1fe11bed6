import { encodePolyline, LocusError } from '@locus/protocol';
import { CarCosting, routeEta, type AvoidOptions, type LiveSpeeds } from '../cost/index.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { alternatives as findAlternatives, bidirectionalAStar, Landmarks, OpenReachability, routeMeters, type Phantom, type Route } from '../search/index.js';
import type { EdgeSnapper, Snap } from '../snap/edge-snapper.js';
import { buildManeuvers, type Maneuver } from './maneuvers.js';
import { routeSummary } from './street-tally.js';

/** Snapping reach: farther than this from every road is "off the map". */
export const SNAP_RADIUS_M = 500;

export interface RoutePoint {
  lat: number;
  lng: number;
}

export interface RouteRequest {
  /** Origin, vias, destination (at least 2). */
  points: RoutePoint[];
  avoid?: AvoidOptions;
  /** Extra routes wanted besides the best (0–2); only without vias. */
  alternatives?: number;
}

export interface RouteResult {
  /** Metres. */
  distance: number;
  /** Seconds: ETA under live speeds where set, else free-flow (turn penalties excluded). */
  duration: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  polyline: string;
  maneuvers: Maneuver[];
  /** The two longest-driven street names, for labelling alternatives. */
  summary: string;
  /** Directed edge ids driven (of `graphVersion`): what traffic updates and navigation address. */
  edges: number[];
}

export interface RouteResponse {
  routes: RouteResult[];
  snapped: { lat: number; lng: number; distance: number }[];
  graphVersion: string;
  trafficVersion: number;
}

/**
 * The routing service: snap the points to the road graph, search each leg with exact bidirectional
 * A* under car costing (avoidance and live traffic included), and describe the result (geometry,
 * polyline, ETA, maneuvers with street names).
 */
export class RouteService {
  /**
   * Landmark lower bounds (ALT), built once per graph: several times fewer states per query, still
   * exact. A lazily loaded graph cannot build them (that would load it all): the service takes those
   * its tiles carry, or uses straight-line bounds.
   */
  private readonly landmarks: Landmarks | undefined;

  constructor(
    private readonly graph: RoadGraph,
    private readonly snapper: EdgeSnapper,
    private readonly live: LiveSpeeds & { version: number; closureVersion?: number },
    private readonly graphVersion: string,
    landmarks?: Landmarks | null,
  ) {
    this.landmarks = landmarks ?? (graph.lazy ? undefined : Landmarks.build(graph));
  }

  route(req: RouteRequest): RouteResponse {
    const g = this.graph;
    const costing = new CarCosting(g, { live: this.live, ...(req.avoid ? { avoid: req.avoid } : {}) });
    // Snapped to the nearest road this costing can drive: a point beside a closed street or a
    // hard-avoided toll motorway starts from the nearest usable road instead of finding no route.
    const snaps = req.points.map((p, i) => {
      // A lazily loaded graph reads the tiles around the point first (the snapper indexes their edges).
      g.lazy?.ensureArea(p.lat, p.lng, SNAP_RADIUS_M);
      const s = this.snapper.snap(p.lat, p.lng, SNAP_RADIUS_M, costing);
      if (s) return s;
      const what = i === 0 ? 'from' : i === req.points.length - 1 ? 'to' : `via ${i}`;
      if (this.snapper.snap(p.lat, p.lng, SNAP_RADIUS_M)) {
        throw new LocusError('NO_ROUTE', `no road within ${SNAP_RADIUS_M} m of ${what} is usable with the options given (closed or avoided)`, { point: what });
      }
      throw new LocusError('OFF_MAP', `${what} is more than ${SNAP_RADIUS_M} m from any road of the map`, { point: what });
    });
    let candidates: Route[][];
    if (snaps.length === 2 && (req.alternatives ?? 0) > 0) {
      const found = findAlternatives(g, costing, this.phantoms(snaps[0]!), this.phantoms(snaps[1]!), { count: 1 + Math.min(2, req.alternatives!), ...this.searchOptions() });
      candidates = found.map((r) => [r]);
    } else {
      const legs: Route[] = [];
      for (let i = 0; i + 1 < snaps.length; i++) {
        const leg = bidirectionalAStar(g, costing, this.phantoms(snaps[i]!), this.phantoms(snaps[i + 1]!), this.searchOptions());
        if (!leg) break;
        legs.push(leg);
      }
      candidates = legs.length === snaps.length - 1 ? [legs] : [];
    }
    if (candidates.length === 0) throw new LocusError('NO_ROUTE', 'no route connects these points with the options given');
    // Ranked by ETA (what the user compares), not by the search cost with its turn penalties.
    const routes = candidates.map((legs) => this.describe(legs, costing)).sort((a, b) => a.duration - b.duration);
    return {
      routes,
      snapped: snaps.map((s) => ({ lat: s.lat, lng: s.lng, distance: Math.round(s.distance * 10) / 10 })),
      graphVersion: this.graphVersion,
      trafficVersion: this.live.version,
    };
  }

  /**
   * A route over given edges (a navigation session's repaired route, say), described as route()
   * describes its results: from `fromOffset` on the first edge to `toOffset` on the last, ETA under the
   * live speeds. The edges must join up (each starts where the previous ends). `endsOnly`: the
   * geometry holds just the first and last point — for a caller that keeps the edges anyway (a
   * navigation session), it saves an array per vertex.
   */
  describePath(edges: ArrayLike<number>, fromOffset: number, toOffset: number, opts: { endsOnly?: boolean } = {}): RouteResult {
    const g = this.graph;
    const leg: Route = {
      cost: Number.NaN,
      edges: Uint32Array.from(edges),
      from: { edge: edges[0]!, offset: fromOffset },
      to: { edge: edges[edges.length - 1]!, offset: toOffset },
      meters: routeMeters(g, edges, fromOffset, toOffset),
      settled: 0,
    };
    const timing = (this.timing ??= new CarCosting(g, { live: this.live }));
    timing.beginQuery(); // its clock, for the live speeds' expiry
    return this.describe([leg], timing, opts.endsOnly === true);
  }

  /**
   * Whether no route can exist from `from` to `to` under the live closures, snapped as route() snaps
   * them: certain when true (false means "search"). A closure that cuts a pocket off makes every car
   * routed into it search in vain, each search exploring until one side is exhausted; this answers
   * them after one pass over the graph per traffic version (OpenReachability). Always false on a
   * lazily loaded graph.
   */
  unreachable(from: RoutePoint, to: RoutePoint, avoid?: AvoidOptions): boolean {
    const g = this.graph;
    if (g.lazy) return false;
    const costing = new CarCosting(g, { live: this.live, ...(avoid ? { avoid } : {}) });
    costing.beginQuery();
    const a = this.snapper.snap(from.lat, from.lng, SNAP_RADIUS_M, costing);
    const b = this.snapper.snap(to.lat, to.lng, SNAP_RADIUS_M, costing);
    if (!a || !b) return false;
    const reach = (this.reach ??= new OpenReachability(g, this.live));
    // Only the phantoms the search may use: the other direction of a street beside the point may be
    // the closed one, and "maybe" for it (a closed edge is in no component) made every car stopped
    // next to a closure search in vain.
    for (const p of this.phantoms(a)) {
      if (!costing.usable(p.edge)) continue;
      for (const q of this.phantoms(b)) {
        if (!costing.usable(q.edge)) continue;
        if (p.edge === q.edge || !reach.cannotReach(p.edge, q.edge)) return false;
      }
    }
    return true;
  }

  /**
   * Where route() would end a route at (lat, lng) under `costing`: the nearest road it can drive, on
   * each direction of a two-way street the costing can use. Null when no usable road is near. A
   * navigating car whose route's rest a closure cut off is sent to this point (ClosureRepair).
   */
  endPhantoms(lat: number, lng: number, costing: CarCosting): Phantom[] | null {
    this.graph.lazy?.ensureArea(lat, lng, SNAP_RADIUS_M);
    const s = this.snapper.snap(lat, lng, SNAP_RADIUS_M, costing);
    if (!s) return null;
    const list = this.phantoms(s).filter((p) => costing.usable(p.edge));
    return list.length > 0 ? list : null;
  }

  /**
   * True when no open road leads from edge `from` to the point on edge `to` (reached over `to` or any
   * edge running the other way between its ends): certain when true, "maybe" when false. Not for a
   * lazily loaded graph (always false).
   */
  edgeUnreachable(from: number, to: number): boolean {
    const g = this.graph;
    if (g.lazy) return false;
    const reach = (this.reach ??= new OpenReachability(g, this.live));
    if (from === to || !reach.cannotReach(from, to)) return false;
    const a = g.edgeSource[to]!;
    const b = g.edgeTarget[to]!;
    const now = Date.now();
    const { speed, expires } = this.live;
    for (let f = g.firstOut[b]!; f < g.firstOut[b + 1]!; f++) {
      if (g.edgeTarget[f] !== a) continue;
      if (f === from) return false;
      // A closed way back cannot be arrived over (as in unreachable: "maybe" for it only cost searches).
      if (speed[f] === 0 && expires[f]! > now) continue;
      if (!reach.cannotReach(from, f)) return false;
    }
    return true;
  }

  private reach: OpenReachability | undefined;

  /** Live travel times for describePath (avoid options do not change an ETA): made once, not per call. */
  private timing: CarCosting | undefined;

  private searchOptions(): { landmarks?: Landmarks } {
    return this.landmarks ? { landmarks: this.landmarks } : {};
  }

  /** A point on a two-way street is on both directed edges: let the search choose. */
  private phantoms(s: Snap): Phantom[] {
    const g = this.graph;
    const list: Phantom[] = [{ edge: s.edge, offset: s.offset }];
    const a = g.edgeSource[s.edge]!;
    const b = g.edgeTarget[s.edge]!;
    if (g.lazy && g.lazy.ready[b] === 0) g.lazy.ensure(b);
    for (let e = g.firstOut[b]!; e < g.firstOut[b + 1]!; e++) {
      if (g.edgeTarget[e] === a && g.edgeWay[e] === g.edgeWay[s.edge]) {
        list.push({ edge: e, offset: 1 - s.offset });
        break;
      }
    }
    return list;
  }

  /** `endsOnly`: geometry holds just the first and last point (the polyline is always complete). */
  private describe(legs: Route[], costing: CarCosting, endsOnly = false): RouteResult {
    const g = this.graph;
    const coords: [number, number][] = [];
    /** lat, lng, lat, lng…: what the polyline encodes (no [lng, lat] pair per vertex when endsOnly). */
    const flat: number[] = [];
    const edges: number[] = [];
    const metres: number[] = [];
    const seconds: number[] = [];
    let distance = 0;
    let duration = 0;
    const at = (e: number, f: number, vertex: boolean): void => {
      const a = g.edgeSource[e]!;
      const b = g.edgeTarget[e]!;
      const lng = g.nodeLng[a]! + (g.nodeLng[b]! - g.nodeLng[a]!) * f;
      const lat = g.nodeLat[a]! + (g.nodeLat[b]! - g.nodeLat[a]!) * f;
      flat.push(lat, lng);
      if (vertex) coords.push([lng, lat]);
    };
    for (const leg of legs) {
      const n = leg.edges.length;
      // Maneuvers look at the other roads leaving each node of the route.
      if (g.lazy) for (const e of leg.edges) if (g.lazy.ready[g.edgeTarget[e]!] === 0) g.lazy.ensure(g.edgeTarget[e]!);
      const fromOffset = leg.from.offset;
      const toOffset = leg.to.offset;
      if (flat.length === 0) at(leg.edges[0]!, fromOffset, true);
      for (let i = 0; i < n; i++) {
        const e = leg.edges[i]!;
        const f0 = i === 0 ? fromOffset : 0;
        const f1 = i === n - 1 ? toOffset : 1;
        const part = Math.max(0, f1 - f0);
        edges.push(e);
        metres.push(g.edgeLength[e]! * part);
        seconds.push(costing.travelSeconds(e) * part);
        at(e, f1, !endsOnly);
      }
      distance += leg.meters;
      duration += routeEta(g, leg.edges, costing, { fromOffset, toOffset });
    }
    const k = flat.length;
    if (endsOnly) coords.push([flat[k - 1]!, flat[k - 2]!]);
    const maneuvers = buildManeuvers(g, edges, metres, seconds, { lat: flat[0]!, lng: flat[1]! }, { lat: flat[k - 2]!, lng: flat[k - 1]! });
    return {
      distance: Math.round(distance * 10) / 10,
      duration: Math.round(duration * 10) / 10,
      geometry: { type: 'LineString', coordinates: coords },
      polyline: encodePolyline(flat),
      maneuvers,
      summary: routeSummary(g, edges, metres),
      edges,
    };
  }
}
