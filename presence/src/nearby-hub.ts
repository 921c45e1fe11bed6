import { channels, type BusListener, type Engine } from '@locus/engine';
import { distanceFromTrig, latCos, latSin } from '@locus/geo';
import { FriendLocFrame, type Fence, type FriendLocation } from '@locus/protocol';
import { decodeControlEvent, type ControlEvent } from './control-event.js';
import { ExpiryWheel, type WheelItem } from './expiry-wheel.js';
import type { FriendGraph } from './friend-graph.js';
import type { LocationCache } from './location-cache.js';
import type { FriendState, HubObserver, PresenceSink } from './presence-sink.js';
import { decodeStoredLocationInto, type StoredLocation } from './stored-location.js';
import { TurnQueue } from './turn-queue.js';
import type { UserSettingsStore } from './user-settings.js';

/** A friend this gateway watches: one engine subscription, shared by all local users who are friends. */
class Watch implements FriendState, WheelItem {
  readonly links: Link[] = [];
  hasLoc = false;
  lat = 0;
  lng = 0;
  /** sin and cos of lat, worked out once per move (see place). */
  sinLat = 0;
  cosLat = 1;
  acc = -1;
  ts = 0;
  at = 0;
  expiresAt = 0;
  wheelSlot = -1;
  /** Resolves when the engine subscription is active. */
  ready: Promise<void> = Promise.resolve();

  constructor(
    readonly user: string,
    readonly channel: string,
  ) {}
}

/** A position with its latitude's sine and cosine, kept together so each pair costs two trig calls. */
interface Placed {
  lat: number;
  lng: number;
  sinLat: number;
  cosLat: number;
}

function place(p: Placed, lat: number, lng: number): void {
  p.lat = lat;
  p.lng = lng;
  p.sinLat = latSin(lat);
  p.cosLat = latCos(lat);
}

/** haversineMeters(a, b), to the bit. */
function distanceBetween(a: Placed, b: Placed): number {
  return distanceFromTrig(a.sinLat, a.cosLat, a.lng, b.sinLat, b.cosLat, b.lng);
}

export type RoamingFence = Extract<Fence, { kind: 'friend' }>;

interface Roaming {
  fence: RoamingFence;
  /** Friend within the fence's radius at the last evaluation (null: not known yet). */
  inside: boolean | null;
}

/**
 * One local user watching one friend. `nearby`: the user was last told the friend is within the
 * radius. A field here, not a Set per user: the fan-out reads and sets it for every delivery.
 */
class Link {
  nearby = false;
  constructor(
    readonly user: LocalUser,
    readonly watch: Watch,
  ) {}
}

/** A user with at least one connection on this gateway. */
class LocalUser {
  readonly sinks: PresenceSink[] = [];
  /** By friend id. */
  readonly friends = new Map<string, Link>();
  hasLoc = false;
  lat = 0;
  lng = 0;
  sinLat = 0;
  cosLat = 1;
  lastTs = 0;
  radius: number;
  ready: Promise<void> = Promise.resolve();
  detached = false;
  /** "Tell me when friend X comes within N m": evaluated here, where both positions are known. */
  roaming: Roaming[] | null = null;

  constructor(
    readonly id: string,
    readonly controlChannel: string,
    radius: number,
  ) {
    this.radius = radius;
  }
}

export interface HubDeps {
  engine: Engine;
  cache: LocationCache;
  graph: FriendGraph;
  settings: UserSettingsStore;
  locationTtlMs: number;
  observer?: HubObserver;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** The user's roaming fences (from the fence directory). */
  roamingOf?: (owner: string) => readonly RoamingFence[];
  /** The last connection of a user on this gateway went away. */
  onLeft?: (userId: string) => void;
  /**
   * Fan out once per event-loop turn (setImmediate), after the I/O callbacks that brought the
   * updates, instead of inside them. The gateway sets it: a uWS message handler runs with its
   * sender's socket corked, and while one socket is corked uWS cannot cork another, so a fan-out
   * there that fills a friend's queue of published messages (32) has them written one syscall each.
   * Under load the turns grew, the queues filled, and delivery collapsed (BENCHMARKS.md, session 20).
   * Off (the default): each update fans out at once, as the unit tests expect.
   */
  deferFanOut?: boolean;
}

/**
 * The gateway-local half of nearby friends. It subscribes to the channel of every friend of every
 * local user (one subscription per channel, reference-counted by the engine across local users),
 * keeps the newest position of each watched friend, and on each update forwards it only to the local
 * users within their radius. It also tracks who each user was told is nearby, so leaving the radius,
 * the TTL running out and unfriending all produce exactly one "friend gone".
 */
export class NearbyHub {
  private readonly users = new Map<string, LocalUser>();
  private readonly watches = new Map<string, Watch>();
  private readonly byChannel = new Map<string, Watch>();
  private readonly byControl = new Map<string, LocalUser>();
  private readonly wheel = new ExpiryWheel<Watch>();
  private readonly frame = new FriendLocFrame();
  private readonly scratch: StoredLocation = { lat: 0, lng: 0, acc: -1, ts: 0, at: 0 };
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  // Bound once: the engine calls these for every message without a closure per subscription.
  private readonly onLocation: BusListener = (channel, payload) => this.handleLocation(channel, payload);
  private readonly onControl: BusListener = (channel, payload) => this.handleControl(channel, payload);
  private readonly expire = (w: Watch): void => this.expireWatch(w);
  /**
   * With deferFanOut, the turn's updates: a local fix (StoredLocation) or an engine payload
   * (decoded when run). Payloads are held until the turn's end: every engine hands each message
   * fresh bytes that nothing rewrites (the engine contract tests it).
   */
  private readonly turn: TurnQueue<Watch, StoredLocation | Uint8Array> | undefined;

  constructor(private readonly deps: HubDeps) {
    this.now = deps.now ?? Date.now;
    this.turn = deps.deferFanOut === true ? new TurnQueue((w, update) => this.runQueued(w, update), (err) => deps.observer?.fanOutFailed?.(err)) : undefined;
  }

  /** Start the once-a-second TTL sweep. */
  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Expire friends whose TTL ran out (called by the timer; public for tests). */
  tick(now = this.now()): void {
    this.wheel.advance(now, this.expire);
  }

  /** Has `userId` a connection on this gateway? */
  isLocal(userId: string): boolean {
    return this.users.has(userId);
  }

  /**
   * The user's presence on this gateway as an object that stays the same while any of its
   * connections stays, and is new after it left and came back (undefined when not connected here).
   */
  attachment(userId: string): object | undefined {
    return this.users.get(userId);
  }

  get localUserCount(): number {
    return this.users.size;
  }

  get watchedFriendCount(): number {
    return this.watches.size;
  }

  /**
   * A connection of `userId` opened. Subscribes what the user needs (first connection only) and
   * returns the friends currently within the radius, from the location cache.
   */
  async attach(userId: string, sink: PresenceSink): Promise<FriendLocation[]> {
    let u = this.users.get(userId);
    if (u) {
      u.sinks.push(sink);
      await u.ready;
      return this.snapshot(u);
    }
    u = new LocalUser(userId, channels.control(userId), this.deps.settings.defaultRadius);
    u.sinks.push(sink);
    this.users.set(userId, u);
    u.ready = this.load(u);
    try {
      await u.ready;
    } catch (err) {
      await this.detach(userId, sink);
      throw err;
    }
    return this.snapshot(u);
  }

  /** A connection closed; the last one of a user drops the user's subscriptions. */
  async detach(userId: string, sink: PresenceSink): Promise<void> {
    const u = this.users.get(userId);
    if (!u) return;
    const i = u.sinks.indexOf(sink);
    if (i >= 0) u.sinks.splice(i, 1);
    if (u.sinks.length > 0) return;
    this.users.delete(userId);
    u.detached = true;
    this.deps.onLeft?.(userId);
    this.byControl.delete(u.controlChannel);
    const pending: Promise<void>[] = [this.deps.engine.bus.unsubscribe(u.controlChannel, this.onControl)];
    for (const l of u.friends.values()) pending.push(this.unwatch(l));
    u.friends.clear();
    await Promise.allSettled(pending);
  }

  /**
   * The user's own accepted fix. Updates the distances to every watched friend and reports the
   * transitions: newly within the radius → friend_loc, newly outside → friend_gone.
   * Returns false for a fix older than the newest one seen (a replay): it does not move the user.
   */
  ownLocation(userId: string, loc: StoredLocation): boolean {
    const u = this.users.get(userId);
    if (!u) return true;
    if (u.hasLoc && loc.ts < u.lastTs) return false;
    u.hasLoc = true;
    place(u, loc.lat, loc.lng);
    u.lastTs = loc.ts;
    this.reevaluate(u);
    if (u.roaming) this.evalRoaming(u, undefined, false);
    return true;
  }

  /** Re-read a local user's roaming fences (a fence was added or removed anywhere). */
  refreshRoaming(owner: string): void {
    const u = this.users.get(owner);
    if (!u) return;
    const fences = this.deps.roamingOf?.(owner) ?? [];
    const before = new Map((u.roaming ?? []).map((r) => [r.fence.id, r]));
    u.roaming = fences.length === 0 ? null : fences.map((fence) => before.get(fence.id) ?? { fence, inside: null });
    // A new fence with the friend already inside says so at once.
    if (u.roaming) this.evalRoaming(u, undefined, true);
  }

  /** Newest device time accepted for a local user (0 if none). */
  lastFixTs(userId: string): number {
    return this.users.get(userId)?.lastTs ?? 0;
  }

  /** Friends within the radius now. */
  nearbyOf(userId: string): FriendLocation[] {
    const u = this.users.get(userId);
    return u ? this.snapshot(u) : [];
  }

  /**
   * Apply a friendship change for a local user at once (the actor's gateway does not wait for its own
   * event to come back through the engine). When the event arrives it changes nothing more; it is only
   * announced to the user's connections (friend_event / settings), so every device of the user hears it.
   */
  async applyLocal(userId: string, e: ControlEvent): Promise<void> {
    const u = this.users.get(userId);
    if (u) await this.applyControl(u, e, false);
  }

  private async load(u: LocalUser): Promise<void> {
    const { engine, settings, graph, cache } = this.deps;
    this.byControl.set(u.controlChannel, u);
    await engine.bus.subscribe(u.controlChannel, this.onControl);
    const [s, friends, own] = await Promise.all([settings.get(u.id), graph.friendsOf(u.id), cache.get(u.id)]);
    u.radius = s.radius;
    if (own && !u.hasLoc) {
      u.hasLoc = true;
      place(u, own.lat, own.lng);
      u.lastTs = own.ts;
    }
    await this.watchFriends(u, friends);
    if (u.detached) return;
    for (const l of u.friends.values()) {
      if (this.inRange(u, l.watch) >= 0) l.nearby = true;
    }
    const fences = this.deps.roamingOf?.(u.id) ?? [];
    if (fences.length > 0) {
      u.roaming = fences.map((fence) => ({ fence, inside: null }));
      // On (re)connect the current state is learned silently: enter/exit report changes, not states.
      this.evalRoaming(u, undefined, false);
    }
  }

  /**
   * Roaming fences of `u` (all, or only those on `friend`): compare the distance with each fence's
   * radius and report crossings. `announceFirst`: a fence evaluated for the first time reports
   * `enter` when the friend is already inside (new fence) instead of learning it silently (reconnect).
   */
  private evalRoaming(u: LocalUser, friend: string | undefined, announceFirst: boolean): void {
    for (const r of u.roaming!) {
      if (friend !== undefined && r.fence.friend !== friend) continue;
      const w = u.friends.get(r.fence.friend)?.watch;
      if (!w || !w.hasLoc || !u.hasLoc) continue;
      const inside = distanceBetween(u, w) <= r.fence.radius;
      const first = r.inside === null;
      if (r.inside === inside) continue;
      r.inside = inside;
      if (first && !(announceFirst && inside)) continue;
      const fired = { fence: r.fence.id, event: inside ? ('enter' as const) : ('exit' as const), at: this.now(), ...(r.fence.name !== undefined ? { name: r.fence.name } : {}) };
      for (const s of u.sinks) s.fenceEvent(w.user, fired);
    }
  }

  /**
   * Subscribe to friends' channels, then read their cached positions (subscribe first: no gap). A
   * watch is ready only once its cached position is in: another local user of the same friend who
   * attaches meanwhile waits for it, or its snapshot would miss a friend who is there.
   */
  private async watchFriends(u: LocalUser, ids: readonly string[]): Promise<void> {
    const created: Watch[] = [];
    const subscribed: Promise<void>[] = [];
    const ready: Promise<void>[] = [];
    for (const id of ids) {
      if (u.friends.has(id) || u.detached) continue;
      let w = this.watches.get(id);
      if (!w) {
        w = new Watch(id, channels.location(id));
        this.watches.set(id, w);
        this.byChannel.set(w.channel, w);
        subscribed.push(this.deps.engine.bus.subscribe(w.channel, this.onLocation));
        created.push(w);
      } else {
        ready.push(w.ready);
      }
      const link = new Link(u, w);
      w.links.push(link);
      u.friends.set(id, link);
    }
    if (created.length > 0) {
      const loaded = this.loadCached(created, subscribed);
      for (const w of created) w.ready = loaded;
      ready.push(loaded);
    }
    await Promise.all(ready);
  }

  private async loadCached(created: Watch[], subscribed: Promise<void>[]): Promise<void> {
    await Promise.all(subscribed);
    const cached = await this.deps.cache.getMany(created.map((w) => w.user));
    const now = this.now();
    for (let i = 0; i < created.length; i++) {
      const loc = cached[i];
      if (loc && loc.at + this.deps.locationTtlMs > now) this.applyToWatch(created[i]!, loc);
    }
  }

  private async unwatch(link: Link): Promise<void> {
    const w = link.watch;
    const i = w.links.indexOf(link);
    if (i >= 0) w.links.splice(i, 1);
    if (w.links.length > 0) return;
    this.watches.delete(w.user);
    this.byChannel.delete(w.channel);
    this.wheel.cancel(w);
    await this.deps.engine.bus.unsubscribe(w.channel, this.onLocation);
  }

  /**
   * Copy a newer location into the watch and (re)arm its TTL. false when `loc` is not newer: accepted
   * earlier (`at`, the server's acceptance time), or in the same millisecond with an earlier device
   * time, or the very fix the watch holds — which is how the engine's echo of a fix publishLocal
   * already delivered is recognised. (Two different fixes accepted in the same millisecond with the
   * same device time are both delivered; friends on the accepting gateway may then get them a second
   * time from the echo — a device that stamps two positions with one time gives no order to keep.)
   */
  private applyToWatch(w: Watch, loc: StoredLocation): boolean {
    if (w.hasLoc) {
      if (loc.at < w.at) return false;
      if (loc.at === w.at && (loc.ts < w.ts || (loc.ts === w.ts && loc.lat === w.lat && loc.lng === w.lng && loc.acc === w.acc))) return false;
    }
    w.hasLoc = true;
    place(w, loc.lat, loc.lng);
    w.acc = loc.acc;
    w.ts = loc.ts;
    w.at = loc.at;
    w.expiresAt = loc.at + this.deps.locationTtlMs;
    this.wheel.schedule(w);
    return true;
  }

  /**
   * A user's accepted fix, fanned out to the friends on this gateway at once, before it goes through
   * the engine (as Socket.IO's adapter serves its own node first): a friend on the same gateway does
   * not wait for the engine's round trip, and the gateway does not depend on it for local delivery.
   * When the engine brings the same fix back on the user's channel, applyToWatch sees it is not
   * newer than what the watch holds and drops it: nothing is delivered twice.
   */
  publishLocal(userId: string, loc: StoredLocation): void {
    const w = this.watches.get(userId);
    if (w === undefined) return;
    if (this.turn !== undefined) this.turn.push(w, loc);
    else this.fanOut(w, loc);
  }

  /** The fan-out hot path: one friend's update to the local users within their radius. */
  private handleLocation(channel: string, payload: Uint8Array): void {
    const w = this.byChannel.get(channel);
    if (!w) return; // arrived after the last local friend left
    // Queued behind the local fixes of this turn: the engine's echo of one comes after it.
    if (this.turn !== undefined) this.turn.push(w, payload);
    else this.fanOutPayload(w, payload);
  }

  private runQueued(w: Watch, update: StoredLocation | Uint8Array): void {
    if (this.watches.get(w.user) !== w) return; // the last local friend left since it was queued
    if (update instanceof Uint8Array) this.fanOutPayload(w, update);
    else this.fanOut(w, update);
  }

  private fanOutPayload(w: Watch, payload: Uint8Array): void {
    const loc = this.scratch;
    if (!decodeStoredLocationInto(payload, loc)) {
      this.deps.observer?.badPayload(w.channel);
      return;
    }
    this.fanOut(w, loc);
  }

  private fanOut(w: Watch, loc: StoredLocation): void {
    if (!this.applyToWatch(w, loc)) return;
    let encoded = false;
    let deliveries = 0;
    const links = w.links;
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      const u = l.user;
      const d = this.inRange(u, w);
      if (d >= 0) {
        if (!encoded) {
          this.frame.encode(w.user, w.lat, w.lng, w.acc, w.ts);
          encoded = true;
        }
        l.nearby = true;
        const sinks = u.sinks;
        for (let j = 0; j < sinks.length; j++) sinks[j]!.friendLocation(w, d, this.frame);
        deliveries += sinks.length;
      } else if (l.nearby) {
        l.nearby = false;
        for (const s of u.sinks) s.friendGone(w.user, 'out_of_range');
      }
      if (u.roaming !== null) this.evalRoaming(u, w.user, false);
    }
    if (deliveries > 0) this.deps.observer?.fannedOut(deliveries, this.now() - loc.at);
  }

  /** Distance when both positions are known and within the user's radius, else -1. */
  private inRange(u: LocalUser, w: Watch): number {
    if (!u.hasLoc || !w.hasLoc) return -1;
    const d = distanceBetween(u, w);
    return d <= u.radius ? d : -1;
  }

  /** After the user moved or changed radius: report friends entering and leaving the radius. */
  private reevaluate(u: LocalUser): void {
    for (const l of u.friends.values()) {
      const w = l.watch;
      const d = this.inRange(u, w);
      if (d >= 0) {
        if (l.nearby) continue;
        l.nearby = true;
        this.frame.encode(w.user, w.lat, w.lng, w.acc, w.ts);
        for (const s of u.sinks) s.friendLocation(w, d, this.frame);
      } else if (l.nearby) {
        l.nearby = false;
        for (const s of u.sinks) s.friendGone(w.user, 'out_of_range');
      }
    }
  }

  private expireWatch(w: Watch): void {
    w.hasLoc = false;
    w.expiresAt = 0;
    for (const l of w.links) {
      if (!l.nearby) continue;
      l.nearby = false;
      for (const s of l.user.sinks) s.friendGone(w.user, 'expired');
    }
  }

  private handleControl(channel: string, payload: Uint8Array): void {
    const u = this.byControl.get(channel);
    const e = decodeControlEvent(payload);
    if (!u || !e) return;
    this.applyControl(u, e, true).catch(() => {
      // The engine reported the failure through its own error listener; the next event or reconnect
      // brings the subscriptions back in line.
    });
  }

  private async applyControl(u: LocalUser, e: ControlEvent, announce: boolean): Promise<void> {
    switch (e.kind) {
      case 'accepted': {
        if (!u.friends.has(e.user)) {
          await this.watchFriends(u, [e.user]);
          this.reevaluate(u);
        }
        break;
      }
      case 'removed': {
        const l = u.friends.get(e.user);
        if (l) {
          u.friends.delete(e.user);
          if (l.nearby) {
            l.nearby = false;
            for (const s of u.sinks) s.friendGone(e.user, 'unfriended');
          }
          await this.unwatch(l);
        }
        break;
      }
      case 'settings': {
        const s = await this.deps.settings.get(u.id);
        if (s.radius !== u.radius) {
          u.radius = s.radius;
          this.reevaluate(u);
        }
        if (announce) for (const sink of u.sinks) sink.settingsChanged(s);
        return;
      }
      case 'fence':
        if (announce && e.fence) for (const s of u.sinks) s.fenceEvent(e.user, e.fence);
        return;
      case 'requested':
      case 'declined':
        break;
    }
    if (announce) for (const s of u.sinks) s.friendEvent(e.kind, e.user);
  }

  private snapshot(u: LocalUser): FriendLocation[] {
    const out: FriendLocation[] = [];
    for (const l of u.friends.values()) {
      const w = l.watch;
      const d = this.inRange(u, w);
      if (d < 0) continue;
      const f: FriendLocation = { user: w.user, lat: w.lat, lng: w.lng, ts: w.ts, d };
      if (w.acc >= 0) f.acc = w.acc;
      out.push(f);
    }
    return out.sort((a, b) => a.d - b.d);
  }
}
