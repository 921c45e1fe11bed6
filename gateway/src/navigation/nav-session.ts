import type { NavManeuver, NavOptions, NavRouteBody } from '@locus/protocol';
import { emptyMatch, RouteTrack, type TrackMatch } from '@locus/routing';

export interface LatLng {
  lat: number;
  lng: number;
}

/** What the engine keeps of a session (JSON): enough for any gateway to continue it after a reconnect. */
export interface StoredSession {
  v: 1;
  id: string;
  user: string;
  to: LatLng;
  /** Via points not yet passed. */
  vias: LatLng[];
  options: NavOptions;
  graphVersion: string;
  route: NavRouteBody;
  coords: [number, number][];
  edges: number[];
  /** Along-route metres of each remaining via (to drop the ones passed on a reroute). */
  viaAlong: number[];
  /** Progress: the segment last matched and the last fix. */
  segment: number;
  last: LatLng | null;
  startedAt: number;
  /** Times of the off-route reroutes inside the storm window. */
  reroutes: number[];
}

/**
 * A navigation session held by this gateway: the stored record plus what is derived per fix (the
 * track, the match scratch object, progress-push state). One per navigating user.
 */
export class NavSession {
  track: RouteTrack;
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
  /** Waiting for the exact check after a repaired closure reroute. */
  recheckQueued = false;
  /** Remaining edges per tile index (the tile → session index and subscriptions follow it). */
  tiles = new Map<number, number>();
  /** First segment still registered in the edge index. */
  indexedFrom = 0;
  ended = false;

  constructor(
    public stored: StoredSession,
    now: number,
    proactiveMs: number,
  ) {
    this.track = trackOf(stored);
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

export function trackOf(s: StoredSession): RouteTrack {
  const t = new RouteTrack(s.coords, s.edges);
  t.setManeuvers(s.route.maneuvers.map((m: NavManeuver) => m.distance));
  return t;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeSession(s: StoredSession): Uint8Array {
  return encoder.encode(JSON.stringify(s));
}

/** Null for anything that is not a session record of this version (never throws). */
export function decodeSession(bytes: Uint8Array): StoredSession | null {
  try {
    const s = JSON.parse(decoder.decode(bytes)) as StoredSession;
    if (s?.v !== 1 || !Array.isArray(s.edges) || s.edges.length === 0 || !Array.isArray(s.coords) || s.coords.length !== s.edges.length + 1) return null;
    return s;
  } catch {
    return null;
  }
}
