import { channels, USER_ID_PATTERN, type BusListener, type Engine } from '@locus/engine';
import { haversineMeters } from '@locus/geo';
import { ExpiryWheel } from '../expiry-wheel.js';
import { GeohashGrid } from './geohash-grid.js';
import { copyCover, coverCircle, coverContains, emptyCover, forEachCell, sameCells } from './stranger-cells.js';
import { DEFAULT_STRANGER_OPTIONS, validateStrangerOptions, type StrangerOptions } from './stranger-options.js';
import { decodeStrangerMessageInto, encodeStrangerMessage, StrangerKind, type StrangerMessage } from './stranger-payload.js';
import type { StrangerGoneReason, StrangerObserver, StrangerSink } from './stranger-sink.js';
import { CellSub, HeardStranger, OptedInUser } from './stranger-state.js';

const RESOLVED: Promise<void> = Promise.resolve();
const ignore = (): void => {};

export interface StrangerHubDeps {
  engine: Engine;
  options?: Partial<StrangerOptions>;
  observer?: StrangerObserver;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** The part of an accepted fix a stranger update carries (StoredLocation fits). */
export interface StrangerFix {
  lat: number;
  lng: number;
  ts: number;
  at: number;
}

/**
 * The gateway-local half of nearby strangers (opt-in). An opted-in user publishes each fix on the channel
 * of the one geohash cell it is in, and listens to the channels of the cells its radius circle touches;
 * a channel is subscribed once per gateway however many local users need it. Each update received is
 * forwarded to the local opted-in users within their radius, and the hub tracks who each user was told
 * about, so leaving the radius, silence and the stranger leaving each produce exactly one "gone".
 *
 * Privacy rests on the publishing side: only opted-in users publish, and optOut stops publishing and
 * receiving synchronously, before any await. There is no receive-side list of opted-out users: the
 * last location a user published before opting out is followed, on the same channel and so in order,
 * by a "gone", and nothing after it; receivers drop the user on the "gone".
 */
export class StrangerHub {
  readonly options: StrangerOptions;
  private readonly grid: GeohashGrid;
  private readonly users = new Map<string, OptedInUser>();
  private readonly cells = new Map<string, CellSub>();
  private readonly heard = new Map<string, HeardStranger>();
  private readonly wheel = new ExpiryWheel<HeardStranger>();
  private readonly scratch: StrangerMessage = { kind: StrangerKind.Location, user: '', lat: 0, lng: 0, ts: 0, at: 0 };
  private readonly nextCover = emptyCover();
  private readonly now: () => number;
  private pass = 0;
  private timer: NodeJS.Timeout | undefined;

  // Bound once: the engine calls it for every message on every cell, no closure per subscription.
  private readonly onMessage: BusListener = (channel, payload) => this.handleMessage(channel, payload);
  private readonly expire = (s: HeardStranger): void => this.expireStranger(s);

  constructor(private readonly deps: StrangerHubDeps) {
    this.options = validateStrangerOptions({ ...DEFAULT_STRANGER_OPTIONS, ...deps.options });
    this.grid = new GeohashGrid(this.options.precision);
    this.now = deps.now ?? Date.now;
  }

  /** Start the once-a-second silence sweep. */
  start(): void {
    this.timer ??= setInterval(() => this.tick(), 1000).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Report strangers silent for longer than silenceMs (called by the timer; public for tests). */
  tick(now = this.now()): void {
    this.wheel.advance(now, this.expire);
  }

  get optedInCount(): number {
    return this.users.size;
  }

  /** Cell channels this hub holds a subscription for. */
  get cellCount(): number {
    return this.cells.size;
  }

  isOptedIn(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Channels the user listens to (diagnostics and tests). */
  cellsOf(userId: string): string[] {
    const u = this.users.get(userId);
    return u ? [...u.cells.keys()] : [];
  }

  /** Radius the user's cells are sure to cover (less than its radius only near the poles); null when unknown. */
  coveredRadius(userId: string): number | null {
    const u = this.users.get(userId);
    return u?.coverValid ? Math.min(u.radius, u.cover.coveredRadiusM) : null;
  }

  /**
   * A connection of `userId` opts in (again: changes the radius). Resolves with the radius in force
   * (clamped to maxRadiusM) once the user's cells are subscribed, if its position is known; otherwise
   * its first `moved` subscribes them. A new connection of an already opted-in user is sent the
   * strangers the user is currently shown.
   */
  optIn(userId: string, sink: StrangerSink, radiusM: number = this.options.defaultRadiusM): Promise<number> {
    // Ids go into every message this user publishes; the encoder writes them as single bytes.
    if (!USER_ID_PATTERN.test(userId)) throw new RangeError('invalid user id');
    const radius = Number.isFinite(radiusM) ? Math.min(Math.max(radiusM, 1), this.options.maxRadiusM) : this.options.defaultRadiusM;
    let u = this.users.get(userId);
    if (!u) {
      u = new OptedInUser(userId, radius);
      this.users.set(userId, u);
    } else if (u.radius !== radius) {
      u.radius = radius;
      this.reevaluate(u);
    }
    if (!u.sinks.includes(sink)) {
      u.sinks.push(sink);
      for (const s of u.shown.values()) sink.strangerLocation(s, haversineMeters(u.lat, u.lng, s.lat, s.lng));
    }
    return this.resubscribe(u).then(() => radius);
  }

  /**
   * Stop both directions at once, for every connection of the user on this gateway: from the moment
   * this returns (synchronously), `publishTarget` is null, `publishFor` publishes nothing and no update
   * reaches the user, even one already queued. The promise only covers the engine unsubscribing.
   * The user's own connections are not sent strangerGone: the client asked for this and clears its view.
   */
  optOut(userId: string): Promise<void> {
    const u = this.users.get(userId);
    if (!u) return RESOLVED;
    this.users.delete(userId);
    u.optedOut = true;
    u.sinks.length = 0;
    for (const s of u.shown.values()) s.shownTo.delete(u);
    u.shown.clear();
    const pending: Promise<void>[] = [];
    if (u.lastPublished !== null) {
      pending.push(this.deps.engine.bus.publish(u.lastPublished, encodeStrangerMessage(StrangerKind.Gone, u.id, 0, 0, 0, 0)));
    }
    for (const cell of u.cells.values()) pending.push(this.leave(u, cell));
    return Promise.all(pending).then(ignore);
  }

  /** A connection closed: the last connection of an opted-in user opts it out. */
  detach(userId: string, sink: StrangerSink): Promise<void> {
    const u = this.users.get(userId);
    if (!u) return RESOLVED;
    const i = u.sinks.indexOf(sink);
    if (i >= 0) u.sinks.splice(i, 1);
    return u.sinks.length === 0 ? this.optOut(userId) : RESOLVED;
  }

  /**
   * The user's own accepted fix (live ones only). Reports shown strangers now out of range and, when the
   * circle touches other cells, subscribes the new cells before leaving the old ones, so nothing is
   * missed in between. State changes at once; the promise covers the engine. When it rejects (the
   * engine failed to subscribe), the next move retries.
   *
   * Strangers newly within the radius because the user moved appear with their next update, not at once:
   * finding them would mean scanning every stranger heard in the user's cells on every fix.
   */
  moved(userId: string, lat: number, lng: number): Promise<void> {
    const u = this.users.get(userId);
    if (!u) return RESOLVED;
    u.hasLoc = true;
    u.lat = lat;
    u.lng = lng;
    this.reevaluate(u);
    return this.resubscribe(u);
  }

  /** Channel the user's next update goes to; null when not opted in (or position unknown). */
  publishTarget(userId: string): string | null {
    const u = this.users.get(userId);
    return u?.hasLoc ? this.ownChannel(u, u.lat, u.lng) : null;
  }

  /**
   * Publish the user's fix on the channel of its cell: exactly one channel per update (plus a "left" on
   * the previous cell when the user changed cell). Does nothing for a user who is not opted in.
   */
  publishFor(userId: string, fix: StrangerFix): Promise<void> {
    const u = this.users.get(userId);
    if (!u) return RESOLVED;
    const bus = this.deps.engine.bus;
    const channel = this.ownChannel(u, fix.lat, fix.lng);
    const prev = u.lastPublished;
    u.lastPublished = channel;
    const loc = encodeStrangerMessage(StrangerKind.Location, u.id, fix.lat, fix.lng, fix.ts, fix.at);
    if (prev === null || prev === channel) return bus.publish(channel, loc);
    // "Left" first: a gateway listening to both cells keeps the stranger shown and updates it; one
    // listening only to the old cell reports it out of range now instead of after the silence.
    const left = bus.publish(prev, encodeStrangerMessage(StrangerKind.Left, u.id, fix.lat, fix.lng, fix.ts, fix.at));
    return Promise.all([left, bus.publish(channel, loc)]).then(ignore);
  }

  // ---- cells and subscriptions ----

  private ownChannel(u: OptedInUser, lat: number, lng: number): string {
    const row = this.grid.row(lat);
    const col = this.grid.col(lng);
    if (u.ownChannel === null || row !== u.ownRow || col !== u.ownCol) {
      u.ownRow = row;
      u.ownCol = col;
      u.ownChannel = channels.strangers(this.grid.hash(row, col));
    }
    return u.ownChannel;
  }

  /** Bring the user's cells in line with its position and radius: subscribe new cells, then leave old ones. */
  private resubscribe(u: OptedInUser): Promise<void> {
    if (!u.hasLoc || u.optedOut) return RESOLVED;
    const next = coverCircle(this.grid, u.lat, u.lng, u.radius, this.options.maxCells, this.nextCover);
    // The common case, once per fix: same cells, no strings built, nothing to do.
    if (u.coverValid && sameCells(next, u.cover)) {
      u.cover.coveredRadiusM = next.coveredRadiusM;
      return RESOLVED;
    }
    copyCover(next, u.cover);
    u.coverValid = true;
    const joining: Promise<void>[] = [];
    forEachCell(this.grid, u.cover, (row, col) => {
      const channel = channels.strangers(this.grid.hash(row, col));
      if (!u.cells.has(channel)) joining.push(this.join(u, channel, row, col));
    });
    if (joining.length === 0) return this.leaveUnneeded(u);
    // Cells are left against the cover in force when the subscriptions are done: a later move may
    // have changed it meanwhile, and its cells must stay.
    return Promise.all(joining).then(() => this.leaveUnneeded(u));
  }

  private join(u: OptedInUser, channel: string, row: number, col: number): Promise<void> {
    let cell = this.cells.get(channel);
    if (!cell) {
      cell = new CellSub(channel, row, col);
      this.cells.set(channel, cell);
      cell.ready = this.subscribe(cell);
    }
    cell.members.push(u);
    u.cells.set(channel, cell);
    return cell.ready;
  }

  private subscribe(cell: CellSub): Promise<void> {
    return this.deps.engine.bus.subscribe(cell.channel, this.onMessage).catch((err: unknown) => {
      // The engine dropped the reference: forget the cell, and make its users' next move retry.
      if (this.cells.get(cell.channel) === cell) this.cells.delete(cell.channel);
      for (const m of cell.members) {
        m.cells.delete(cell.channel);
        m.coverValid = false;
      }
      cell.members.length = 0;
      throw err;
    });
  }

  private leaveUnneeded(u: OptedInUser): Promise<void> {
    if (u.optedOut) return RESOLVED; // optOut left every cell already
    let pending: Promise<void>[] | null = null;
    for (const cell of u.cells.values()) {
      if (!coverContains(u.cover, cell.row, cell.col)) (pending ??= []).push(this.leave(u, cell));
    }
    return pending === null ? RESOLVED : Promise.all(pending).then(ignore);
  }

  private leave(u: OptedInUser, cell: CellSub): Promise<void> {
    u.cells.delete(cell.channel);
    const i = cell.members.indexOf(u);
    if (i >= 0) {
      cell.members[i] = cell.members[cell.members.length - 1]!;
      cell.members.pop();
    }
    if (cell.members.length > 0) return RESOLVED;
    if (this.cells.get(cell.channel) === cell) this.cells.delete(cell.channel);
    return this.deps.engine.bus.unsubscribe(cell.channel, this.onMessage);
  }

  // ---- receiving ----

  /** The fan-out hot path: one update to the local opted-in users within their radius. */
  private handleMessage(channel: string, payload: Uint8Array): void {
    const cell = this.cells.get(channel);
    if (!cell) return; // arrived after the last local listener left
    const m = this.scratch;
    if (!decodeStrangerMessageInto(payload, m)) {
      this.deps.observer?.badPayload(channel);
      return;
    }
    if (m.kind === StrangerKind.Location) this.receiveLocation(cell, m);
    else if (m.kind === StrangerKind.Left) this.receiveLeft(m);
    else this.receiveGone(m.user);
  }

  private receiveLocation(cell: CellSub, m: StrangerMessage): void {
    let s = this.heard.get(m.user);
    if (s === undefined) {
      s = new HeardStranger(m.user);
      this.heard.set(m.user, s);
    } else if (m.at < s.at) return; // an older fix that took a slower path (another cell's channel)
    s.lat = m.lat;
    s.lng = m.lng;
    s.ts = m.ts;
    s.at = m.at;
    // Silence is measured on this gateway's clock: another gateway's skew must not expire anyone early.
    s.expiresAt = this.now() + this.options.silenceMs;
    this.wheel.schedule(s);
    const pass = ++this.pass;
    let deliveries = 0;
    // Users already shown the stranger first: they may no longer listen to this cell (they moved), and
    // must still hear about it leaving their radius.
    for (const u of s.shownTo) {
      u.stamp = pass;
      deliveries += this.show(u, s);
    }
    const members = cell.members;
    for (let i = 0; i < members.length; i++) {
      const u = members[i]!;
      if (u.stamp === pass || u.id === s.user) continue;
      deliveries += this.show(u, s);
    }
    if (deliveries > 0) this.deps.observer?.delivered(deliveries, this.now() - m.at);
  }

  /** Deliver `s` to `u` if within its radius, else report it gone if it was shown. Returns deliveries. */
  private show(u: OptedInUser, s: HeardStranger): number {
    if (!u.hasLoc) return 0;
    const d = haversineMeters(u.lat, u.lng, s.lat, s.lng);
    if (d > u.radius) {
      if (u.shown.delete(s.user)) {
        s.shownTo.delete(u);
        this.gone(u, s.user, 'out_of_range');
      }
      return 0;
    }
    if (!u.shown.has(s.user)) {
      u.shown.set(s.user, s);
      s.shownTo.add(u);
    }
    const sinks = u.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.strangerLocation(s, d);
    return sinks.length;
  }

  /** The stranger changed cell: users not listening to its new cell will hear nothing more of it. */
  private receiveLeft(m: StrangerMessage): void {
    const s = this.heard.get(m.user);
    if (s === undefined || s.shownTo.size === 0 || m.at < s.at) return;
    const row = this.grid.row(m.lat);
    const col = this.grid.col(m.lng);
    for (const u of s.shownTo) {
      if (u.coverValid && coverContains(u.cover, row, col)) continue; // its location on the new cell follows
      s.shownTo.delete(u);
      u.shown.delete(s.user);
      this.gone(u, s.user, 'out_of_range');
    }
  }

  private receiveGone(user: string): void {
    const s = this.heard.get(user);
    if (s === undefined) return;
    this.heard.delete(user);
    s.expiresAt = 0; // the wheel drops it when its slot comes up
    this.forget(s, 'left');
  }

  private expireStranger(s: HeardStranger): void {
    if (this.heard.get(s.user) === s) this.heard.delete(s.user);
    this.forget(s, 'expired');
  }

  private forget(s: HeardStranger, reason: StrangerGoneReason): void {
    for (const u of s.shownTo) {
      u.shown.delete(s.user);
      this.gone(u, s.user, reason);
    }
    s.shownTo.clear();
  }

  /** After the user moved or changed radius: report shown strangers now outside the radius. */
  private reevaluate(u: OptedInUser): void {
    for (const s of u.shown.values()) {
      if (haversineMeters(u.lat, u.lng, s.lat, s.lng) <= u.radius) continue;
      u.shown.delete(s.user);
      s.shownTo.delete(u);
      this.gone(u, s.user, 'out_of_range');
    }
  }

  private gone(u: OptedInUser, user: string, reason: StrangerGoneReason): void {
    for (const sink of u.sinks) sink.strangerGone(user, reason);
  }
}
