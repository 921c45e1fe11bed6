import type {
  Fence,
  FenceEventKind,
  FriendLocation,
  NavEndReason,
  NavigationMessage,
  ServerMessage,
} from '@locus/protocol';
import type { LocusClientError } from './errors.js';
import type { DropReason, PendingFix } from './location-buffer.js';

export type { FriendLocation, Fence, FenceSpec, NavOptions, NavRouteBody, NavManeuver, NavRemaining, NavNext, ServerMessage } from '@locus/protocol';

export type NavRoute = Extract<NavigationMessage, { t: 'nav_route' }>;
export type NavProgress = Extract<NavigationMessage, { t: 'nav_progress' }>;
export type NavEta = Extract<NavigationMessage, { t: 'nav_eta' }>;
export type NavEnd = Extract<NavigationMessage, { t: 'nav_end' }>;

/** Every event a client emits, with its payload. */
export interface LocusEvents {
  /** A connection is up (welcome received); `reconnect` is false the first time. */
  connected: { user: string; server: string; url: string; radius: number; exp: number; reconnect: boolean };
  /** The connection was lost; the client retries after `delayMs` (full-jitter backoff). */
  reconnecting: { attempt: number; delayMs: number; url: string; code?: number; reason?: string; error?: LocusClientError };
  /** Connected again after a loss; state (strangers opt-in, navigation, unacknowledged fixes) is being restored. */
  reconnected: { url: string; server: string; attempts: number };
  /** The gateway is draining and asked us to move (the old connection still works meanwhile). */
  draining: { url: string; retryAfterMs: number };
  /** Moved off a draining gateway to `to`. */
  drained: { from: string; to: string; server: string };
  /** The socket closed for good (close() was called). */
  closed: { code: number; reason: string };
  /** A friend's position (within your radius). */
  friend: FriendLocation;
  /** A friend left your radius, expired or was unfriended. */
  friendGone: { user: string; reason: 'expired' | 'out_of_range' | 'unfriended' };
  /** Snapshot of nearby friends (sent after every connect). */
  nearby: { friends: FriendLocation[] };
  /** A friendship change involving you. */
  friendEvent: { kind: 'requested' | 'accepted' | 'declined' | 'removed'; user: string };
  /** An opted-in stranger nearby. */
  stranger: { user: string; lat: number; lng: number; ts: number; d: number };
  strangerGone: { user: string; reason: 'out_of_range' | 'expired' | 'left' };
  /** One of your geofences fired. */
  geofence: { fence: string; kind: FenceEventKind; user: string; at: number; name?: string };
  /** Your settings changed (here, on another device, or over HTTP). */
  settings: { radius: number };
  /** A navigation route: the start, a reroute (`reason`), or the resumed session after a reconnect. */
  navRoute: NavRoute;
  navProgress: NavProgress;
  navEta: NavEta;
  navEnd: NavEnd | { t: 'nav_end'; session: string; reason: NavEndReason };
  /** The server acknowledged a location update (it is stored, or was already). */
  locationAck: { seq: number; ts: number };
  /** A location update will never be sent or was refused: too many buffered, too old, or invalid. */
  locationDropped: { fix: PendingFix; reason: DropReason; error?: LocusClientError };
  /** The token was refreshed on the open connection. */
  tokenRefreshed: { exp: number };
  /** Something failed outside a request's promise (a refused fix, a failed refresh, a server error push). */
  error: LocusClientError;
  /** Every server message, after the typed events (for tools and debugging). */
  message: ServerMessage;
}

export type { Fence as StoredFence };

/** A business from the proximity search, with its distance from the query point (metres). */
export interface NearbyBusiness {
  id: string;
  name: string;
  lat: number;
  lng: number;
  category: string;
  distance: number;
  address?: { street?: string; housenumber?: string; postcode?: string; city?: string; country?: string };
  hours?: unknown;
  phone?: string;
  website?: string;
  version: number;
  updatedAt: number;
}

export interface SearchNearbyParams {
  lat: number;
  lng: number;
  /** Metres, default 1000, at most 50000. */
  radius?: number;
  category?: string;
  openNow?: boolean;
  /** 1–100, default 20. */
  limit?: number;
  /** `next` from the previous page. */
  cursor?: string;
}

export interface GeocodeResult {
  label: string;
  lat: number;
  lng: number;
  kind: 'address' | 'street' | 'place';
  score: number;
  name?: string;
  address?: { housenumber: string; street: string; postcode?: string; city?: string };
}

export interface ReverseGeocodeResult {
  label: string;
  lat: number;
  lng: number;
  kind: 'address' | 'street';
  distance: number;
  name?: string;
  address?: { housenumber: string; street: string; postcode?: string; city?: string };
}

export interface LatLng {
  lat: number;
  lng: number;
}

export type AvoidValue = boolean | number;

export interface RouteParams {
  from: LatLng;
  to: LatLng;
  via?: LatLng[];
  /** true avoids; a weight in (0, 1) only prefers to avoid. */
  avoid?: { tolls?: AvoidValue; highways?: AvoidValue; ferries?: AvoidValue };
  /** 0–2 extra routes (not with via points). */
  alternatives?: number;
}

export interface RouteResult {
  distance: number;
  duration: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  polyline: string;
  maneuvers: { type: string; modifier?: string; street: string; instruction: string; distance: number; duration: number; lat: number; lng: number; exit?: number }[];
  summary: string;
  edges: number[];
}

export interface RouteResponse {
  routes: RouteResult[];
  snapped: { lat: number; lng: number; distance: number }[];
  graphVersion: string;
  trafficVersion: number;
}
