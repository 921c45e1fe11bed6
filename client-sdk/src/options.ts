import type { WireFormat } from '@locus/protocol';
import type { BackoffOptions } from './backoff.js';
import type { FetchLike } from './http-api.js';
import type { WebSocketConstructor } from './link.js';

export interface ConnectOptions {
  /** Gateway socket URL, e.g. `wss://locus.example.com/v1/ws`. Give `url` or `urls`. */
  url?: string;
  /** Several gateways: the client starts with the first and moves along the list on failure or drain. */
  urls?: string[];
  /** A fixed token. For sessions longer than one token, give `getToken` instead. */
  token?: string;
  /** Called for every connection and for every refresh (`token_expiring`): return a fresh JWT. */
  getToken?: () => string | Promise<string>;
  /** WebSocket class; default `globalThis.WebSocket` (browsers, Node 22). On Node 20 pass `WebSocket` from `ws`. */
  WebSocket?: WebSocketConstructor;
  /** fetch for the HTTP APIs; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Base URL of the HTTP APIs; default derived from the current socket URL (`ws://h/v1/ws` → `http://h`). */
  httpBase?: string;
  /** Wire format: `msgpack` (binary, default) or `json` (readable in devtools). */
  format?: WireFormat;
  /** Location updates are sent every this many ms (default 15000); 0 sends each at once. At once while navigating. */
  batchIntervalMs?: number;
  /** Unacknowledged updates kept at most (default 1000); the oldest are dropped beyond it. */
  maxBufferedUpdates?: number;
  /** Updates older than this are dropped unsent (ms; default 1 h; the server refuses fixes older than 24 h). */
  maxUpdateAgeMs?: number;
  /** Location updates in flight (sent, not acknowledged) at most (default 16; the gateway allows 64 requests). */
  maxInflightUpdates?: number;
  /** An update without acknowledgement for this long is sent again (ms; default 10000). */
  ackTimeoutMs?: number;
  /** Requests (friends, settings, navigation...) fail with TIMEOUT after this (ms; default 10000). */
  requestTimeoutMs?: number;
  /** A connection attempt fails without a welcome within this (ms; default 10000). */
  openTimeoutMs?: number;
  /** connect() gives up (and closes the client) if no connection is up within this (ms; default 30000). */
  connectTimeoutMs?: number;
  /** Reconnect backoff (exponential, full jitter). */
  backoff?: BackoffOptions;
  /** Random source for the jitter (tests). */
  random?: () => number;
  /**
   * Ask for closure reroutes as changes to the current route (`nav_patch`, default true): the client
   * rebuilds the whole route and emits `navRoute` as for any new route. Smaller messages, and the
   * gateway answers a closure that reroutes thousands of cars sooner.
   */
  routePatches?: boolean;
}

export interface ResolvedOptions {
  urls: string[];
  format: WireFormat;
  batchIntervalMs: number;
  maxBufferedUpdates: number;
  maxUpdateAgeMs: number;
  maxInflightUpdates: number;
  ackTimeoutMs: number;
  requestTimeoutMs: number;
  openTimeoutMs: number;
  connectTimeoutMs: number;
  backoff: BackoffOptions;
  random: () => number;
  routePatches: boolean;
}

export function resolveOptions(o: ConnectOptions): ResolvedOptions {
  const urls = o.urls && o.urls.length > 0 ? [...o.urls] : o.url ? [o.url] : [];
  if (urls.length === 0) throw new TypeError('connect: give `url` or `urls`');
  for (const u of urls) {
    if (!/^wss?:\/\//.test(u)) throw new TypeError(`connect: ${u} is not a ws:// or wss:// URL`);
  }
  if (o.token === undefined && o.getToken === undefined) throw new TypeError('connect: give `token` or `getToken`');
  const num = (v: number | undefined, d: number, min: number, name: string): number => {
    if (v === undefined) return d;
    if (!Number.isFinite(v) || v < min) throw new TypeError(`connect: ${name} must be a number ≥ ${min}`);
    return v;
  };
  return {
    urls,
    format: o.format ?? 'msgpack',
    batchIntervalMs: num(o.batchIntervalMs, 15_000, 0, 'batchIntervalMs'),
    maxBufferedUpdates: num(o.maxBufferedUpdates, 1000, 1, 'maxBufferedUpdates'),
    maxUpdateAgeMs: num(o.maxUpdateAgeMs, 3_600_000, 1, 'maxUpdateAgeMs'),
    maxInflightUpdates: num(o.maxInflightUpdates, 16, 1, 'maxInflightUpdates'),
    ackTimeoutMs: num(o.ackTimeoutMs, 10_000, 1, 'ackTimeoutMs'),
    requestTimeoutMs: num(o.requestTimeoutMs, 10_000, 1, 'requestTimeoutMs'),
    openTimeoutMs: num(o.openTimeoutMs, 10_000, 1, 'openTimeoutMs'),
    connectTimeoutMs: num(o.connectTimeoutMs, 30_000, 1, 'connectTimeoutMs'),
    backoff: o.backoff ?? {},
    random: o.random ?? Math.random,
    routePatches: o.routePatches ?? true,
  };
}
