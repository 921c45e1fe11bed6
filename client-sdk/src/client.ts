import { applyRoutePatch, type FenceSpec, type FriendLocation, type NavOptions, type ServerMessage, type Welcome } from '@locus/protocol';
import { backoffDelay } from './backoff.js';
import { Emitter } from './emitter.js';
import { LocusClientError, type LocusErrorCode } from './errors.js';
import { HttpApi, type FetchLike } from './http-api.js';
import { Link, type WebSocketConstructor } from './link.js';
import { LocationBuffer, type Fix, type PendingFix } from './location-buffer.js';
import { resolveOptions, type ConnectOptions, type ResolvedOptions } from './options.js';
import type { Fence } from '@locus/protocol';
import type { GeocodeResult, LatLng, LocusEvents, NavRoute, NearbyBusiness, ReverseGeocodeResult, RouteParams, RouteResponse, SearchNearbyParams } from './types.js';
import { httpBaseOf, socketUrlWithToken } from './urls.js';

/** Server error codes after which a location update is worth sending again (it had no effect). */
const RETRYABLE: ReadonlySet<LocusErrorCode> = new Set(['RATE_LIMITED', 'ENGINE_UNAVAILABLE', 'ENGINE_TIMEOUT', 'ENGINE_CLOSED', 'INTERNAL']);

type Reason = 'connect' | 'reconnect' | 'drain';

/**
 * A Locus client: one WebSocket to a gateway that it keeps open (reconnecting with backoff, moving
 * off draining gateways, refreshing the token), location updates batched with sequence numbers so
 * none is lost or applied twice, typed events and promise-returning requests.
 */
export class LocusClient extends Emitter<LocusEvents> {
  /** The authenticated user (after the first connect). */
  user = '';
  /** Instance id of the gateway currently connected. */
  server = '';
  /** Nearby radius in force, metres. */
  radius = 0;
  /** The current navigation session, if any. */
  navigation: string | undefined;
  /** Its current route (what a `nav_patch` changes). */
  private navRoute: NavRoute | undefined;

  private readonly o: ResolvedOptions;
  private readonly Ctor: WebSocketConstructor;
  private readonly getToken: () => Promise<string>;
  private readonly buffer: LocationBuffer;
  private readonly http: HttpApi;
  private link: Link | undefined;
  private readonly links = new Set<Link>();
  private linkSeq = 0;
  private urlIndex = 0;
  private attempt = 0;
  private connecting = false;
  private closed = false;
  private everConnected = false;
  private reqSeq = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly batchTimer: ReturnType<typeof setInterval>;
  /** The draining gateway we are moving off, until the move is done. */
  private drainFrom: string | undefined;
  private readyWaiters: (() => void)[] = [];
  private strangersWanted: { radius?: number } | undefined;
  private lastToken = '';

  constructor(options: ConnectOptions) {
    super();
    this.o = resolveOptions(options);
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new LocusClientError('NO_WEBSOCKET');
    this.Ctor = Ctor;
    const { token, getToken } = options;
    this.getToken = async () => {
      this.lastToken = getToken ? await getToken() : (token as string);
      return this.lastToken;
    };
    this.buffer = new LocationBuffer(this.o.maxBufferedUpdates, this.o.maxUpdateAgeMs);
    const fetchFn = options.fetch ?? (globalThis.fetch?.bind(globalThis) as FetchLike | undefined);
    this.http = new HttpApi(
      () => options.httpBase ?? httpBaseOf(this.link?.url ?? this.o.urls[this.urlIndex]!),
      async () => this.lastToken || this.getToken(),
      fetchFn ?? (() => Promise.reject(new Error('no fetch: pass options.fetch'))),
      this.o.requestTimeoutMs,
    );
    // One timer for batching, expiry and ack timeouts (every second when updates are not batched);
    // it must not keep a Node process alive.
    this.batchTimer = setInterval(() => this.tick(), this.o.batchIntervalMs > 0 ? this.o.batchIntervalMs : 1000);
    (this.batchTimer as { unref?: () => void }).unref?.();
  }

  /** Start connecting (connect() does this and waits for the first connection). */
  start(): this {
    void this.attemptConnect('connect');
    return this;
  }

  /** true while a connection is up. */
  get connected(): boolean {
    return this.link !== undefined && this.link.isOpen;
  }

  /** Updates waiting for the server's acknowledgement (buffered offline or in flight). */
  get pendingUpdates(): number {
    return this.buffer.size;
  }

  /** Resolves when a connection is up (at once if it is). */
  ready(timeoutMs = this.o.requestTimeoutMs): Promise<void> {
    if (this.closed) return Promise.reject(new LocusClientError('CLOSED'));
    if (this.connected) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        reject(new LocusClientError('TIMEOUT', `not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        if (this.closed) reject(new LocusClientError('CLOSED'));
        else resolve();
      };
      this.readyWaiters.push(done);
    });
  }

  // ---------------------------------------------------------------- locations

  /**
   * Report a position. It is buffered and sent with the next batch (at once while navigating or with
   * batchIntervalMs 0), kept until the server acknowledges it, and sent again after a reconnect.
   * Returns its sequence number (see the `locationAck` event).
   */
  updateLocation(fix: Fix): number {
    if (this.closed) throw new LocusClientError('CLOSED');
    const bad = badFix(fix);
    if (bad) throw new LocusClientError('BAD_MESSAGE', bad, { field: bad.split(' ')[0] });
    const { fix: pending, dropped } = this.buffer.add(fix);
    for (const d of dropped) this.emit('locationDropped', { fix: d, reason: 'overflow' });
    if (this.navigation !== undefined || this.o.batchIntervalMs === 0) this.sendLocations();
    return pending.seq;
  }

  /** Send the buffered updates now and resolve when all of them are acknowledged (or dropped). */
  flush(timeoutMs = this.o.requestTimeoutMs * 3): Promise<void> {
    this.sendLocations();
    if (this.buffer.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.buffer.size > 0) return;
        cleanup();
        resolve();
      };
      const offAck = this.on('locationAck', check);
      const offDrop = this.on('locationDropped', check);
      const timer = setTimeout(() => {
        cleanup();
        reject(new LocusClientError('TIMEOUT', `${this.buffer.size} updates still unacknowledged after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        offAck();
        offDrop();
        clearTimeout(timer);
      };
    });
  }

  // ---------------------------------------------------------------- friends and settings

  /** Ask someone to be friends; `accepted` when they had already asked you. */
  async addFriend(user: string): Promise<'requested' | 'accepted' | 'already_friends'> {
    const r = await this.request<{ t: 'ok'; status?: string }>({ t: 'friend_request', user });
    return r.status as 'requested' | 'accepted' | 'already_friends';
  }

  async acceptFriend(user: string): Promise<void> {
    await this.request({ t: 'friend_accept', user });
  }

  async declineFriend(user: string): Promise<void> {
    await this.request({ t: 'friend_decline', user });
  }

  /** End a friendship, or withdraw your own request. */
  async removeFriend(user: string): Promise<void> {
    await this.request({ t: 'friend_remove', user });
  }

  async friends(): Promise<{ friends: string[]; incoming: string[]; outgoing: string[] }> {
    const r = await this.request<{ t: 'friends'; friends: string[]; incoming: string[]; outgoing: string[] }>({ t: 'friends' });
    return { friends: r.friends, incoming: r.incoming, outgoing: r.outgoing };
  }

  /** Friends within your radius now, nearest first. */
  async nearby(): Promise<FriendLocation[]> {
    return (await this.request<{ t: 'nearby'; friends: FriendLocation[] }>({ t: 'nearby' })).friends;
  }

  /** Read the settings, or change the nearby radius (metres). */
  async settings(patch: { radius?: number } = {}): Promise<{ radius: number }> {
    const r = await this.request<{ t: 'settings'; radius: number }>({ t: 'settings', ...patch });
    this.radius = r.radius;
    return { radius: r.radius };
  }

  /** Opt in to nearby strangers (kept across reconnects) or out. Returns the radius in force. */
  async strangers(enabled: boolean, radius?: number): Promise<{ radius?: number }> {
    this.strangersWanted = enabled ? (radius !== undefined ? { radius } : {}) : undefined;
    const r = await this.request<{ t: 'ok'; radius?: number }>({ t: 'strangers', enabled, ...(radius !== undefined ? { radius } : {}) });
    return r.radius !== undefined ? { radius: r.radius } : {};
  }

  /** Your own accepted fixes by acceptance time, oldest first (one page; pass `cursor` = `next`). */
  async history(from: number, to: number, opts: { limit?: number; cursor?: string } = {}): Promise<{
    items: { lat: number; lng: number; acc?: number; ts: number; at: number }[];
    next?: string;
  }> {
    const r = await this.request<Extract<ServerMessage, { t: 'history' }>>({ t: 'history', from, to, ...opts });
    return r.next !== undefined ? { items: r.items, next: r.next } : { items: r.items };
  }

  /** Add a geofence on yourself (or a roaming one on a friend); returns its id. */
  async addFence(fence: FenceSpec): Promise<string> {
    return (await this.request<{ t: 'ok'; fence?: string }>({ t: 'fence_add', fence })).fence as string;
  }

  async removeFence(id: string): Promise<void> {
    await this.request({ t: 'fence_remove', fence: id });
  }

  async fences(): Promise<Fence[]> {
    return (await this.request<{ t: 'fences'; fences: Fence[] }>({ t: 'fences' })).fences;
  }

  /** Application-level round trip in ms. */
  async ping(): Promise<number> {
    const t0 = Date.now();
    await this.request({ t: 'ping' });
    return Date.now() - t0;
  }

  // ---------------------------------------------------------------- navigation

  /**
   * Start turn-by-turn navigation to `to` (from your last accepted location unless `from` is given).
   * Resolves with the first route; progress, ETA changes, reroutes and the end arrive as events.
   * While navigating, location updates are sent at once, and a reconnect resumes the session.
   */
  async startNavigation(p: { to: LatLng; from?: LatLng; via?: LatLng[]; options?: NavOptions }): Promise<NavRoute> {
    // The server routes from the last accepted location: send what is buffered first.
    this.sendLocations();
    const r = await this.request<NavRoute>({ t: 'nav_start', ...p });
    this.navigation = r.session;
    return r;
  }

  async cancelNavigation(): Promise<void> {
    await this.request({ t: 'nav_cancel' });
    this.navigation = undefined;
    this.navRoute = undefined;
  }

  // ---------------------------------------------------------------- HTTP APIs

  searchNearby(p: SearchNearbyParams): Promise<{ results: NearbyBusiness[]; next?: string }> {
    return this.http.searchNearby(p);
  }

  geocode(q: string, opts?: { limit?: number; near?: LatLng }): Promise<GeocodeResult[]> {
    return this.http.geocode(q, opts);
  }

  reverseGeocode(lat: number, lng: number): Promise<ReverseGeocodeResult | null> {
    return this.http.reverseGeocode(lat, lng);
  }

  route(p: RouteParams): Promise<RouteResponse> {
    return this.http.route(p);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Close for good. Unacknowledged updates are discarded (call flush() first to send them). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of [this.reconnectTimer, this.drainTimer, this.retryTimer]) if (t) clearTimeout(t);
    clearInterval(this.batchTimer);
    for (const l of this.links) l.close(1000, 'client closed');
    this.links.clear();
    this.link = undefined;
    for (const w of this.readyWaiters.splice(0)) w();
    this.emit('closed', { code: 1000, reason: 'client closed' });
  }

  private async request<T = ServerMessage>(msg: { t: string; [k: string]: unknown }): Promise<T> {
    if (this.closed) throw new LocusClientError('CLOSED');
    await this.ready();
    const link = this.link;
    if (!link) throw new LocusClientError('CONNECTION_LOST');
    return (await link.request({ ...msg, id: `r${++this.reqSeq}` }, this.o.requestTimeoutMs)) as T;
  }

  // ---------------------------------------------------------------- connection management

  private async attemptConnect(reason: Reason): Promise<void> {
    if (this.connecting || this.closed) return;
    this.connecting = true;
    this.reconnectTimer = undefined;
    this.drainTimer = undefined;
    const url = this.o.urls[this.urlIndex]!;
    let link: Link | undefined;
    try {
      const token = await this.getToken();
      if (this.closed) return;
      link = new Link(++this.linkSeq, url, socketUrlWithToken(url, token, this.o.routePatches), this.o.format, this.Ctor, this.handlers, this.o.openTimeoutMs);
      this.links.add(link);
      const welcome = await link.opened;
      this.connecting = false;
      await this.adopt(link, welcome, reason);
    } catch (err) {
      this.connecting = false;
      if (link) {
        link.close();
        this.links.delete(link);
      }
      if (this.closed) return;
      // The next attempt goes to the next gateway of the list.
      this.urlIndex = (this.urlIndex + 1) % this.o.urls.length;
      this.scheduleReconnect({ error: err instanceof LocusClientError ? err : new LocusClientError('CONNECTION_LOST', String(err)) });
    }
  }

  private scheduleReconnect(info: { code?: number; reason?: string; error?: LocusClientError }): void {
    if (this.closed || this.connecting || this.reconnectTimer || this.drainTimer) return;
    const delayMs = backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.attempt++;
    const url = this.o.urls[this.urlIndex]!;
    this.emit('reconnecting', { attempt: this.attempt, delayMs, url, ...info });
    this.reconnectTimer = setTimeout(() => void this.attemptConnect('reconnect'), delayMs);
  }

  /** A new connection is welcomed: hand over from the old one (if any), then restore state. */
  private async adopt(link: Link, welcome: Welcome, reason: Reason): Promise<void> {
    const old = this.link;
    if (old && old !== link) {
      // Stop sending on the old connection and let its in-flight updates be acknowledged there:
      // the same update must never be in flight on two gateways at once.
      this.link = undefined;
      await this.settleInflight(old);
      old.close(1000, 'moved to another gateway');
      this.links.delete(old);
      this.buffer.unsend(old.n);
      if (this.closed) return;
    }
    if (link.closed) throw new LocusClientError('CONNECTION_LOST', 'the new connection closed during the hand-over');
    this.link = link;
    this.user = welcome.user;
    this.server = welcome.server;
    this.radius = welcome.radius;
    const reconnect = this.everConnected;
    const attempts = this.attempt;
    this.everConnected = true;
    this.attempt = 0;
    for (const w of this.readyWaiters.splice(0)) w();
    this.emit('connected', { user: welcome.user, server: welcome.server, url: link.url, radius: welcome.radius, exp: welcome.exp, reconnect });
    const drainFrom = this.drainFrom;
    this.drainFrom = undefined;
    if (drainFrom !== undefined) this.emit('drained', { from: drainFrom, to: link.url, server: welcome.server });
    else if (reconnect) this.emit('reconnected', { url: link.url, server: welcome.server, attempts });
    if (reason !== 'connect' || reconnect) this.restore(link);
    this.sendLocations();
  }

  /** Wait until no update sent on `link` is unacknowledged (or the link closes, or the ack timeout). */
  private settleInflight(link: Link): Promise<void> {
    const busy = (): boolean => !link.closed && this.buffer.hasInflightOn(link.n);
    if (!busy()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, this.o.ackTimeoutMs);
      const poll = setInterval(() => {
        if (!busy()) finish();
      }, 20);
      function finish(): void {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    });
  }

  /** After a reconnect: the subscriptions that live on a connection, and the navigation session. */
  private restore(link: Link): void {
    const fail = (err: unknown): void => {
      if (err instanceof LocusClientError && err.code !== 'CONNECTION_LOST') this.emit('error', err);
    };
    if (this.strangersWanted) {
      const radius = this.strangersWanted.radius;
      link.request({ t: 'strangers', id: `r${++this.reqSeq}`, enabled: true, ...(radius !== undefined ? { radius } : {}) }, this.o.requestTimeoutMs).catch(fail);
    }
    if (this.navigation !== undefined) {
      // The gateway pushes the session's route (reason `resumed`) by itself; asking covers a session
      // that ended while we were away (the reply says so).
      link.request({ t: 'nav_state', id: `r${++this.reqSeq}` }, this.o.requestTimeoutMs).catch((err: unknown) => {
        if (err instanceof LocusClientError && err.code !== 'CONNECTION_LOST' && err.code !== 'TIMEOUT') this.navigation = undefined;
        fail(err);
      });
    }
  }

  private readonly handlers = {
    message: (link: Link, msg: ServerMessage): void => this.onMessage(link, msg),
    closed: (link: Link, code: number, reason: string): void => this.onClosed(link, code, reason),
  };

  private onClosed(link: Link, code: number, reason: string): void {
    this.links.delete(link);
    this.buffer.unsend(link.n);
    if (link !== this.link) return;
    this.link = undefined;
    if (this.closed) return;
    this.scheduleReconnect({ code, reason });
  }

  private onMessage(link: Link, msg: ServerMessage): void {
    switch (msg.t) {
      case 'ok':
        if (msg.of === 'loc' && msg.seq !== undefined) {
          const f = this.buffer.remove(msg.seq);
          if (f) this.emit('locationAck', { seq: f.seq, ts: f.ts });
          this.sendLocations();
        }
        break;
      case 'error':
        if (typeof msg.id === 'number') this.onLocationError(msg.id, LocusClientError.fromServer(msg));
        else this.emit('error', LocusClientError.fromServer(msg));
        break;
      case 'friend_loc':
        this.emit('friend', stripT(msg));
        break;
      case 'friend_gone':
        this.emit('friendGone', { user: msg.user, reason: msg.reason });
        break;
      case 'nearby':
        if (msg.id === undefined) this.emit('nearby', { friends: msg.friends });
        break;
      case 'friend_event':
        this.emit('friendEvent', { kind: msg.kind, user: msg.user });
        break;
      case 'settings':
        this.radius = msg.radius;
        if (msg.id === undefined) this.emit('settings', { radius: msg.radius });
        break;
      case 'fence_event':
        this.emit('geofence', stripT(msg));
        break;
      case 'stranger_loc':
        this.emit('stranger', stripT(msg));
        break;
      case 'stranger_gone':
        this.emit('strangerGone', { user: msg.user, reason: msg.reason });
        break;
      case 'token_expiring':
        if (link === this.link) void this.refresh(link);
        break;
      case 'reconnect':
        if (link === this.link) this.onDrain(link, msg.retryAfterMs);
        break;
      case 'nav_route':
        this.navigation = msg.session;
        this.navRoute = msg;
        this.emit('navRoute', msg);
        if (this.buffer.size > 0) this.sendLocations();
        break;
      case 'nav_patch': {
        // A change to the route we hold: rebuilt whole, and announced as any new route is.
        const route = this.navRoute ? applyRoutePatch(this.navRoute, msg) : null;
        if (route) {
          this.navRoute = route;
          this.emit('navRoute', route);
          this.emit('message', route);
          return;
        }
        // Not the route we hold (missed while reconnecting): ask for the whole one (a nav_route follows).
        if (link === this.link) link.request({ t: 'nav_state', id: `r${++this.reqSeq}` }, this.o.requestTimeoutMs).catch(() => undefined);
        return;
      }
      case 'nav_progress':
        this.emit('navProgress', msg);
        break;
      case 'nav_eta':
        this.emit('navEta', msg);
        break;
      case 'nav_end':
        if (this.navigation === msg.session) {
          this.navigation = undefined;
          this.navRoute = undefined;
        }
        this.emit('navEnd', msg);
        break;
      default:
        break;
    }
    this.emit('message', msg);
  }

  private onLocationError(seq: number, err: LocusClientError): void {
    if (RETRYABLE.has(err.code)) {
      this.buffer.retry(seq);
      // Give the server a moment; the ack timeout and the batch timer are the other safety nets.
      if (!this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.sendLocations();
        }, 1000);
      }
      return;
    }
    const f = this.buffer.remove(seq);
    if (f) this.emit('locationDropped', { fix: f, reason: 'rejected', error: err });
    this.emit('error', err);
  }

  private onDrain(link: Link, retryAfterMs: number): void {
    this.emit('draining', { url: link.url, retryAfterMs });
    this.drainFrom = link.url;
    if (this.o.urls.length > 1) {
      // Prefer the next gateway of the list; the draining one refuses new connections anyway.
      const i = this.o.urls.indexOf(link.url);
      this.urlIndex = ((i < 0 ? this.urlIndex : i) + 1) % this.o.urls.length;
    }
    if (this.reconnectTimer || this.drainTimer || this.connecting) return;
    this.drainTimer = setTimeout(() => void this.attemptConnect('drain'), retryAfterMs);
  }

  private async refresh(link: Link): Promise<void> {
    try {
      const token = await this.getToken();
      const r = (await link.request({ t: 'refresh', id: `r${++this.reqSeq}`, token }, this.o.requestTimeoutMs)) as { exp?: number };
      this.emit('tokenRefreshed', { exp: r.exp ?? 0 });
    } catch (err) {
      if (err instanceof LocusClientError && err.code !== 'CONNECTION_LOST') this.emit('error', err);
      else if (!(err instanceof LocusClientError)) this.emit('error', new LocusClientError('UNAUTHORIZED', `getToken failed: ${String(err)}`));
    }
  }

  /** The batch timer: drop what is too old, resend what was never acknowledged, send the batch. */
  private tick(): void {
    for (const f of this.buffer.expire()) this.emit('locationDropped', { fix: f, reason: 'expired' });
    this.buffer.unsendOlderThan(this.o.ackTimeoutMs);
    this.sendLocations();
  }

  /** Send unsent updates in order on the current connection, keeping at most maxInflightUpdates unacknowledged. */
  private sendLocations(): void {
    const link = this.link;
    if (!link || !link.isOpen) return;
    let inflight = this.buffer.inflight;
    for (let f = this.buffer.nextUnsent(); f && inflight < this.o.maxInflightUpdates; f = this.buffer.nextUnsent()) {
      this.buffer.markSent(f, link.n);
      link.send(locMessage(f));
      inflight++;
    }
  }
}

function locMessage(f: PendingFix): Record<string, unknown> {
  // The id (= seq) lets an error reply name the update it refuses.
  return f.acc !== undefined
    ? { t: 'loc', id: f.seq, seq: f.seq, lat: f.lat, lng: f.lng, acc: f.acc, ts: f.ts }
    : { t: 'loc', id: f.seq, seq: f.seq, lat: f.lat, lng: f.lng, ts: f.ts };
}

function stripT<T extends { t: string }>(msg: T): Omit<T, 't'> {
  const { t: _t, ...rest } = msg;
  return rest;
}

/** The server's own bounds, checked at once so a bad fix fails where it was made. */
function badFix(f: Fix): string | undefined {
  if (typeof f !== 'object' || f === null) return 'fix must be an object';
  if (!(Number.isFinite(f.lat) && f.lat >= -90 && f.lat <= 90)) return 'lat must be in [-90, 90]';
  if (!(Number.isFinite(f.lng) && f.lng >= -180 && f.lng <= 180)) return 'lng must be in [-180, 180]';
  if (f.acc !== undefined && !(Number.isFinite(f.acc) && f.acc >= 0 && f.acc <= 100_000)) return 'acc must be in [0, 100000] metres';
  if (f.ts !== undefined && !(Number.isFinite(f.ts) && f.ts > 0)) return 'ts must be ms since the epoch';
  return undefined;
}

/** Connect and wait for the first connection; the client then stays connected until close(). */
export async function connect(options: ConnectOptions): Promise<LocusClient> {
  const client = new LocusClient(options).start();
  try {
    await client.ready(resolveOptions(options).connectTimeoutMs);
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}
