import type { NavManeuver, NavOptions, NavRouteBody } from '@locus/protocol';
import { emptyMatch, RouteTrack, type RoadGraph, type RouteSplice, type TrackBuffers, type TrackMatch } from '@locus/routing';

export interface LatLng {
  lat: number;
  lng: number;
}

/**
 * What the engine keeps of a session (JSON): enough for any gateway to continue it after a reconnect.
 * The route's geometry is not stored: its vertices are the graph's nodes along `edges` (of
 * `graphVersion`), plus where it starts and ends on the first and last edge. (Version 1 records kept
 * every vertex — ~23 KB of heap per session for a 3 km route; they are still read.)
 */
export interface StoredSession {
  v: 2;
  id: string;
  user: string;
  to: LatLng;
  /** Via points not yet passed. */
  vias: LatLng[];
  options: NavOptions;
  graphVersion: string;
  route: NavRouteBody;
  edges: number[];
  /** [lng, lat] where the route starts on edges[0] and ends on its last edge. */
  start: [number, number];
  end: [number, number];
  /** Along-route metres of each remaining via (to drop the ones passed on a reroute). */
  viaAlong: number[];
  /** Progress: the segment last matched and the last fix. */
  segment: number;
  last: LatLng | null;
  startedAt: number;
  /** Times of the off-route reroutes inside the storm window. */
  reroutes: number[];
  /** Route revision: 0 for the first route, one more per new route (a nav_patch names the one it changes). Absent in older records: 0. */
  rev: number;
}

/**
 * A navigation session held by this gateway: the stored record plus what is derived per fix (the
 * track, the match scratch object, progress-push state). One per navigating user.
 */
export class NavSession {
  /** Scratch for matchInto: one object per session, reused by every fix. */
  readonly match: TrackMatch = emptyMatch();
  /** Consecutive away fixes (off-route hysteresis). */
  away = 0;
  offRoute = false;
  lastPushAt = 0;
  lastPushedManeuver = -1;
  lastPersistAt = 0;
  /** After a resume the first fix is matched over the whole route (progress may be stale). */
  resync = true;
  nextProactiveAt: number;
  /** Stamp of the last traffic event that examined this session (dedupe without a Set). */
  examinedStamp = 0;
  /** Metres to the nearest edge a pending traffic event changed (work order), and whether it is queued. */
  urgency = 0;
  queued = false;
  /** Waiting for the exact check after a repaired closure reroute; waiting for a proactive check. */
  recheckQueued = false;
  proactiveQueued = false;
  /**
   * When the track's segment times were last all updated (ms; -Infinity: never), and the route
   * positions traffic events changed since: a traffic event updates those only (RouteTrack.updateTimesAt)
   * unless a live speed may have expired meanwhile.
   */
  timesAt = -Infinity;
  readonly changedAt: number[] = [];
  /**
   * When the car was told NO_ROUTE for a closure on its route (ms; -1: it was not, or has a route since),
   * and the live table's liftVersion then. Until a closure is lifted or a live value expires, more
   * traffic on its old route cannot give it one: such events leave it alone (no search, no repeated
   * NO_ROUTE) rather than answer it again.
   */
  cutOffAt = -1;
  cutOffLifts = 0;
  /**
   * A route already sent to the client (as a patch, or whole in a closure's answers) but not yet
   * installed here (track, edge index, record): installed right after the urgent work, or before
   * anything reads the session. A patched route's edge list (`stored.edges`, empty until then) and
   * polyline come from the splice when it is installed.
   */
  pending: { stored: StoredSession; splice: RouteSplice | null } | null = null;
  /** Remaining edges per tile index (the tile → session index and subscriptions follow it). */
  tiles = new Map<number, number>();
  /** First segment still registered in the edge index, and the session's slot there (-1: not indexed). */
  indexedFrom = 0;
  slot = -1;
  ended = false;

  constructor(
    public stored: StoredSession,
    public track: RouteTrack,
    now: number,
    proactiveMs: number,
  ) {
    this.nextProactiveAt = now + proactiveMs;
  }

  get id(): string {
    return this.stored.id;
  }
  get user(): string {
    return this.stored.user;
  }
  get segment(): number {
    return this.stored.segment;
  }
}

/** The session's track on `graph`, whose edges it names (the caller checks the graph version). */
export function trackOf(s: StoredSession, graph: RoadGraph, buffers?: TrackBuffers): RouteTrack {
  const t = RouteTrack.alongEdges(graph, s.edges, s.start, s.end, buffers);
  t.setManeuvers(s.route.maneuvers.map((m: NavManeuver) => m.distance));
  // Made now, off a closure answer's path: a closure repair's splice sums the route by street runs.
  t.streetRuns(graph);
  return t;
}

/** Whether every edge id of the record exists in `graph` and each edge starts where the previous ends. */
export function edgesFit(s: StoredSession, graph: RoadGraph): boolean {
  const n = graph.edgeCount;
  for (let i = 0; i < s.edges.length; i++) {
    const e = s.edges[i]!;
    if (!Number.isInteger(e) || e < 0 || e >= n) return false;
    if (i > 0 && graph.edgeSource[e] !== graph.edgeTarget[s.edges[i - 1]!]) return false;
  }
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeSession(s: StoredSession): Uint8Array {
  return encoder.encode(JSON.stringify(s));
}

const isPoint = (p: unknown): p is [number, number] => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/** Null for anything that is not a session record of a known version (never throws); version 1 is upgraded. */
export function decodeSession(bytes: Uint8Array): StoredSession | null {
  try {
    const s = JSON.parse(decoder.decode(bytes)) as (StoredSession & { coords?: unknown }) | null;
    if (!s || typeof s !== 'object' || !Array.isArray(s.edges) || s.edges.length === 0) return null;
    if ((s.v as number) === 1) {
      const coords = s.coords;
      if (!Array.isArray(coords) || coords.length !== s.edges.length + 1) return null;
      const { coords: _dropped, ...rest } = s;
      const upgraded = { ...rest, v: 2 as const, start: coords[0] as [number, number], end: coords[coords.length - 1] as [number, number], rev: Number.isInteger(s.rev) ? s.rev : 0 };
      return isPoint(upgraded.start) && isPoint(upgraded.end) ? upgraded : null;
    }
    if (s.v !== 2 || !isPoint(s.start) || !isPoint(s.end)) return null;
    if (!Number.isInteger(s.rev)) s.rev = 0;
    return s;
  } catch {
    return null;
  }
}
