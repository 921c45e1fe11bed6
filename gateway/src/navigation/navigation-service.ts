import { randomUUID } from 'node:crypto';
import { channels, keys, type BusListener, type Engine } from '@locus/engine';
import { encodePolyline, LocusError, type NavigationMessage, type NavEndReason, type NavOptions, type NavPatch, type NavRouteReason, type NavStart, type ServerMessage } from '@locus/protocol';
import { CarCosting, decodeBatch, judgeFix, nextAwayCount, RouteTrack, spliceDetour, TrackBuffers, type OffRoutePolicy, type ResolvedBatch, type RouteResult, type RouteSplice } from '@locus/routing';
import type { NavigationConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoutingData } from '../routing/routing-data.js';
import { avoidOf, ClosureRepair } from './closure-repair.js';
import { EdgeTiles } from './edge-tiles.js';
import { decodeSession, edgesFit, encodeSession, NavSession, trackOf, type LatLng, type StoredSession } from './nav-session.js';
import { SessionIndex } from './session-index.js';
import { SessionQueue } from './session-queue.js';
import { gcTimes, type GcTimes } from './gc-time.js';
import { threadTimes, type ThreadTimes } from './thread-time.js';
import { publishTileTraffic } from './tile-traffic.js';

/** Where navigation messages go: the user's connections on this gateway. */
export interface NavSink {
  send(msg: ServerMessage): void;
  /** The client applies `nav_patch` (see NavPatch); otherwise it gets whole routes only. */
  readonly routePatches?: boolean;
}

type NavRouteMessage = Extract<NavigationMessage, { t: 'nav_route' }>;

/** Holds the sinks' frames from hold to release, sending them together (see SendBatch); flush sends what is held so far. */
export interface FrameHold {
  hold(): void;
  flush(): void;
  release(): void;
}
const NO_HOLD: FrameHold = { hold() {}, flush() {}, release() {} };

/** How far ahead of the last matched segment a fix is looked for (a car covers ~40 m/s at most). */
const MATCH_AHEAD_M = 600;
/** Traffic work per event-loop turn before yielding to other sockets. */
const SLICE_MS = 10;
/** A burst of traffic events whose sessions took this long to answer is logged with what they needed. */
const SLOW_ANSWER_MS = 100;
/** Edge-index postings checked for staleness per timer tick (~1 ms of work). */
const SWEEP_POSTINGS = 100_000;
/** Detour searches the timer makes ahead per tick (ClosureRepair.prepare: ~1 ms each on Monaco). */
const PREPARE_SEARCHES = 4;

export interface NavigationStats {
  sessions: number;
  tiles: number;
  trafficEvents: number;
  /** Sessions looked at by traffic events, and those whose remaining route an event touched. */
  examined: number;
  affected: number;
  /** Closure reroutes answered by repairing the route (a shared detour search), not a search of their own. */
  repaired: number;
  /** New routes sent as a change to the client's route (nav_patch). */
  patched: number;
  etaPushes: number;
  /**
   * Milliseconds from the last burst of traffic events reaching this gateway to every session it
   * touched having its answer (new route, patch, ETA or error) sent; follow-up work not included.
   */
  lastAnswerMs: number;
  /** Sessions with traffic or timer work still queued (answers, installs, re-checks, proactive checks, writes). */
  backlog: number;
  reroutes: Record<'off_route' | 'closure' | 'faster' | 'proactive' | 'resumed', number>;
  ended: Record<NavEndReason, number>;
}

/**
 * Navigation sessions on this gateway: start, progress along the route, off-route reroutes, traffic
 * ETA updates and reroutes, proactive checks, arrival and cancel. Each session's record lives in the
 * engine (TTL = reconnect grace), so a reconnect to any gateway continues it; this gateway keeps the
 * derived state (track, index entries) for the users connected here.
 */
export class NavigationService {
  readonly tiles: EdgeTiles;
  readonly stats: NavigationStats = {
    sessions: 0,
    tiles: 0,
    trafficEvents: 0,
    examined: 0,
    affected: 0,
    repaired: 0,
    patched: 0,
    etaPushes: 0,
    lastAnswerMs: 0,
    backlog: 0,
    reroutes: { off_route: 0, closure: 0, faster: 0, proactive: 0, resumed: 0 },
    ended: { arrived: 0, cancelled: 0, replaced: 0, no_route: 0 },
  };
  private readonly sessions = new Map<string, NavSession>();
  private readonly sinks = new Map<string, Set<NavSink>>();
  private readonly loading = new Map<string, Promise<NavSession | null>>();
  private readonly index: SessionIndex;
  /** Travel times under live traffic for progress and ETAs (avoidance steers routes, not time). */
  private readonly timing: CarCosting;
  /** Free-flow travel times (no live speeds): the segment a car is on when it closes (see leftOf). */
  private readonly freeFlow: CarCosting;
  private readonly policy: OffRoutePolicy;
  /** Sessions a traffic event touched, most urgent first, worked through in slices (see runPending). */
  private readonly pending = new SessionQueue();
  private running = false;
  private scheduled = false;
  /** Sessions whose new route went out as a patch and is not installed yet (right after the pending work). */
  private readonly installs = new SessionQueue();
  /** Repaired sessions waiting for an exact search from where the car is (after the pending work). */
  private readonly recheck = new SessionQueue();
  /** Sessions due for a proactive check (queued by the timer, worked through after traffic work). */
  private readonly proactive = new SessionQueue();
  /** Sessions whose stored record changed and is not yet written (written after the pending work). */
  private readonly dirty = new Set<NavSession>();
  private readonly repairs: ClosureRepair;
  /** The storage of replaced routes' tracks, reused for new ones (see TrackBuffers: fewer full GCs). */
  private readonly trackBuffers = new TrackBuffers();
  /** Session writes of users who left (awaited by stop). */
  private readonly writes = new Set<Promise<void>>();
  private stamp = 0;
  /** performance.now() when the traffic events whose sessions are still queued began (-1: none queued). */
  private burstStart = -1;
  /** The main thread's scheduler times when that burst began (see threadTimes). */
  private burstThread: ThreadTimes = [0, 0];
  /** GC pause time when that burst began (see gcTimes). */
  private burstGc: GcTimes = [0, 0, 0];
  /** What the current burst's sessions needed: for the log line of a slow answer. */
  private readonly burst = { sessions: 0, repaired: 0, searched: 0, cutOff: 0, searches: 0, searchMs: 0, detours: 0, detourEdges: 0, repairMs: 0, describeMs: 0, sendMs: 0, flushMs: 0, unrepairedMs: 0, etaMs: 0 };
  /** Scratch for applyTraffic: the sessions on one changed edge and where on their routes. */
  private readonly hitSessions: NavSession[] = [];
  private readonly hitAt: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  private readonly onTileEvent: BusListener = (_channel, payload) => {
    const b = decodeBatch(payload, this.routing.traffic.graphVersion);
    if (b) this.applyTraffic(b);
  };

  constructor(
    private readonly engine: Engine,
    private readonly routing: RoutingData,
    private readonly config: NavigationConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    /** The sinks' frames held while a slice of traffic work runs (the gateway's SendBatch). */
    private readonly sends: FrameHold = NO_HOLD,
  ) {
    this.tiles = new EdgeTiles(routing.graph);
    this.timing = new CarCosting(routing.graph, { live: routing.traffic.live, now });
    this.freeFlow = new CarCosting(routing.graph);
    this.repairs = new ClosureRepair(
      routing.graph,
      routing.traffic.live,
      now,
      (from, to) => routing.service.edgeUnreachable(from, to),
      (lat, lng, costing) => routing.service.endPhantoms(lat, lng, costing),
    );
    this.policy = { baseM: config.offRouteM, fixes: config.offRouteFixes, maxAccuracyM: 100 };
    this.index = new SessionIndex(this.tiles, {
      subscribeTile: (t) => {
        this.engine.bus.subscribe(channels.navTile(this.tiles.names[t]!), this.onTileEvent).catch((err: unknown) => this.log.warn({ err, tile: this.tiles.names[t] }, 'tile subscribe failed'));
      },
      unsubscribeTile: (t) => {
        this.engine.bus.unsubscribe(channels.navTile(this.tiles.names[t]!), this.onTileEvent).catch(() => undefined);
      },
    });
  }

  start(): void {
    const every = Math.min(5000, this.config.proactiveMs);
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  /** Keep every local session in the engine (for the gateway that takes the users over), then let go. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // Written here, all of them: nothing may be left for a later slice once the engine closes.
    this.dirty.clear();
    await Promise.all([...this.sessions.values()].map((s) => this.persist(s).catch(() => undefined)));
    await Promise.all([...this.writes].map((w) => w.catch(() => undefined)));
    for (const s of this.sessions.values()) this.index.remove(s);
    this.sessions.clear();
  }

  /** Sessions with work still queued here (traffic answers, installs, exact re-checks, proactive checks, record writes). */
  get backlog(): number {
    return this.pending.size + this.installs.size + this.recheck.size + this.proactive.size + this.dirty.size;
  }

  /** The user's session on this gateway, with any route already sent installed (see NavSession.pending). */
  sessionOf(user: string): NavSession | undefined {
    const s = this.sessions.get(user);
    if (s) this.settle(s);
    return s;
  }

  snapshot(): NavigationStats {
    this.stats.sessions = this.sessions.size;
    this.stats.tiles = this.index.tileCount;
    this.stats.backlog = this.backlog;
    return this.stats;
  }

  // ---- connections ---------------------------------------------------------------------------

  /** A connection of `user` opened here (synchronous: a nav_start right after the welcome finds it). */
  register(user: string, sink: NavSink): void {
    let set = this.sinks.get(user);
    if (!set) this.sinks.set(user, (set = new Set()));
    set.add(sink);
  }

  /** After the welcome: continue the user's session if the engine holds one (pushes `nav_route` resumed). */
  async resume(user: string, sink: NavSink): Promise<void> {
    const s = await this.load(user);
    if (s && !s.ended && this.sinks.get(user)?.has(sink)) sink.send(this.routeMessage(s, 'resumed'));
  }

  async detach(user: string, sink: NavSink): Promise<void> {
    const set = this.sinks.get(user);
    if (!set) return;
    set.delete(sink);
    if (set.size > 0) return;
    this.sinks.delete(user);
    const s = this.sessions.get(user);
    if (!s) return;
    this.sessions.delete(user);
    this.index.remove(s);
    // Tracked: a drain closes every connection and then the engine; stop() waits for these writes.
    const write = this.persist(s).finally(() => this.writes.delete(write));
    this.writes.add(write);
    await write;
  }

  private load(user: string): Promise<NavSession | null> {
    const active = this.sessions.get(user);
    if (active) return Promise.resolve(active);
    let p = this.loading.get(user);
    if (!p) {
      p = this.loadFromEngine(user).finally(() => this.loading.delete(user));
      this.loading.set(user, p);
    }
    return p;
  }

  private async loadFromEngine(user: string): Promise<NavSession | null> {
    const bytes = await this.engine.kv.get(keys.navSession(user));
    const stored = bytes ? decodeSession(bytes) : null;
    if (!stored || stored.user !== user) return null;
    if (!this.sinks.has(user)) return null; // gone while loading
    const again = this.sessions.get(user);
    if (again) return again;
    const track = this.trackFor(stored);
    // Without a track of its own (below), a straight stand-in until the new route replaces it.
    const s = new NavSession(stored, track ?? new RouteTrack([stored.start, stored.end], [0]), this.now(), this.config.proactiveMs);
    if (!track) {
      // Another map (or edges that do not fit this one): the stored edges mean nothing here; route
      // again from where the user was, before anything reads those edge ids.
      if (!this.replaceRoute(s, stored.last ?? { lat: stored.start[1], lng: stored.start[0] }, 'resumed', false)) {
        await this.end(s, 'no_route');
        return null;
      }
    }
    this.activate(s);
    return s;
  }

  /** The stored route's track on this gateway's graph; null when its edges do not fit the graph (another map, a corrupt record). */
  private trackFor(stored: StoredSession): RouteTrack | null {
    const g = this.routing.graph;
    if (stored.graphVersion !== this.routing.traffic.graphVersion) return null;
    for (const e of stored.edges) if (!Number.isInteger(e) || e < 0 || e >= g.edgeCount) return null;
    // Edges this gateway may not have loaded yet (lazy tiles): their nodes are read below.
    const lazy = g.lazy;
    if (lazy) for (const e of stored.edges) lazy.ensureEdge(e);
    return edgesFit(stored, g) ? trackOf(stored, g, this.trackBuffers) : null;
  }

  private activate(s: NavSession): void {
    this.sessions.set(s.user, s);
    // A session resumed from the engine names edges this gateway may not have loaded yet (lazy tiles).
    const lazy = this.routing.graph.lazy;
    if (lazy) for (const e of s.track.edges) lazy.ensureEdge(e);
    const last = s.stored.last;
    // A resumed session reports progress from the last fix (over the whole route: progress may be stale).
    if (last && s.stored.segment > 0) s.track.matchInto(last.lat, last.lng, s.stored.segment, Infinity, s.match);
    this.refreshTimes(s);
    this.index.add(s);
    // A closure on the route that came while no gateway held the session (the user was away): handled
    // as if its traffic event arrived now.
    if (this.leftOf(s) === Infinity && !s.queued) {
      s.queued = true;
      s.urgency = 0;
      this.pending.push(s);
      this.schedule();
    }
  }

  // ---- requests --------------------------------------------------------------------------------

  /** nav_start: route from `from` (or the last known location) and open a session, replacing any other. */
  async begin(user: string, msg: NavStart, lastKnown: LatLng | null): Promise<NavRouteMessage> {
    const from = msg.from ?? lastKnown;
    if (!from) throw new LocusError('BAD_REQUEST', 'no start point: send `from`, or a location update first', { field: 'from' });
    const options: NavOptions = msg.options ?? {};
    const vias = msg.via ?? [];
    const result = this.computeRoute([from, ...vias, msg.to], options);
    const previous = this.sessions.get(user) ?? (await this.load(user));
    if (previous) await this.end(previous, 'replaced');
    const stored = this.storedOf(randomUUID(), user, msg.to, vias, options, result, this.now());
    stored.last = from;
    const s = new NavSession(stored, trackOf(stored, this.routing.graph, this.trackBuffers), this.now(), this.config.proactiveMs);
    s.resync = false;
    if (this.sinks.has(user)) this.activate(s);
    await this.persist(s);
    return this.routeMessage(s, 'start');
  }

  async cancel(user: string): Promise<void> {
    const s = this.sessions.get(user) ?? (await this.load(user));
    if (!s) throw new LocusError('NOT_FOUND', 'no navigation session');
    await this.end(s, 'cancelled');
  }

  async state(user: string): Promise<NavRouteMessage> {
    const s = this.sessions.get(user) ?? (await this.load(user));
    if (!s) throw new LocusError('NOT_FOUND', 'no navigation session');
    return this.routeMessage(s, 'state');
  }

  // ---- progress ------------------------------------------------------------------------------

  /** An accepted fix of `user`: progress, off-route and arrival. Cheap when the user is not navigating. */
  onLocation(user: string, lat: number, lng: number, acc: number): void {
    const s = this.sessions.get(user);
    if (!s || s.ended) return;
    this.settle(s);
    const now = this.now();
    const track = s.track;
    const m = track.matchInto(lat, lng, s.stored.segment, s.resync ? Infinity : MATCH_AHEAD_M, s.match);
    s.resync = false;
    s.stored.last = { lat, lng };
    const verdict = judgeFix(this.policy, s.away, m.offRouteM, acc);
    s.away = nextAwayCount(verdict, s.away);
    if (verdict === 'off') {
      if (this.rerouteAllowed(s, now)) {
        s.stored.reroutes.push(now);
        if (this.replaceRoute(s, { lat, lng }, 'off_route', true)) return;
      }
    }
    if (verdict === 'on') {
      if (m.segment > s.stored.segment) {
        s.stored.segment = m.segment;
        this.index.advance(s, m.segment);
      }
      if (track.remainingMeters(m) <= this.config.arriveM) {
        void this.end(s, 'arrived');
        return;
      }
    }
    const offRoute = verdict === 'away' || verdict === 'off' || (verdict === 'ignored' && s.offRoute);
    const next = track.nextManeuver(m.alongM);
    if (now - s.lastPushAt >= this.config.progressMs || next !== s.lastPushedManeuver || offRoute !== s.offRoute) {
      s.offRoute = offRoute;
      s.lastPushAt = now;
      s.lastPushedManeuver = next;
      this.refreshTimes(s);
      this.push(s, this.progressMessage(s, next));
      if (now - s.lastPersistAt >= this.config.progressMs) this.persistQuietly(s);
    }
  }

  private rerouteAllowed(s: NavSession, now: number): boolean {
    const r = s.stored.reroutes;
    while (r.length > 0 && r[0]! <= now - this.config.rerouteWindowMs) r.shift();
    if (r.length >= this.config.rerouteMax) return false;
    const last = r[r.length - 1];
    return last === undefined || now - last >= this.config.rerouteMinMs;
  }

  // ---- traffic ---------------------------------------------------------------------------------

  /**
   * After POST /v1/traffic was accepted: announce the batch on the channels of the tiles it touches.
   * Every gateway with a session there (this one included) hears it through its subscription.
   */
  publishTraffic(batch: ResolvedBatch): Promise<number> {
    return publishTileTraffic(this.engine, this.tiles, batch, this.routing.traffic.graphVersion);
  }

  /** A tile's traffic event: find the sessions whose remaining route uses a changed edge, through the index only. */
  applyTraffic(b: ResolvedBatch): void {
    // Routes sent as patches are installed first: the edge index must hold them.
    this.settleAll();
    const now = this.now();
    // Idempotent with the global traffic channel (same values), which may arrive later on a cluster.
    this.routing.traffic.live.apply(b.edges, b.speeds, b.expires, now);
    this.stats.trafficEvents++;
    if (this.burstStart < 0) {
      this.burstStart = performance.now();
      this.burstThread = threadTimes();
      this.burstGc = gcTimes();
      Object.assign(this.burst, { sessions: 0, repaired: 0, searched: 0, cutOff: 0, searches: this.repairs.searches, searchMs: this.repairs.searchMs, detours: this.repairs.detours, detourEdges: this.repairs.detourEdges, repairMs: 0, describeMs: 0, sendMs: 0, flushMs: 0, unrepairedMs: 0, etaMs: 0 });
    }
    const stamp = ++this.stamp;
    const batchStart = this.pending.size;
    const hit = this.hitSessions;
    const at = this.hitAt;
    for (let i = 0; i < b.edges.length; i++) {
      hit.length = 0;
      at.length = 0;
      const n = this.index.collect(b.edges[i]!, hit, at);
      for (let k = 0; k < n; k++) {
        const s = hit[k]!;
        if (s.cutOffAt >= 0 && this.stillCutOff(s, now)) {
          // Told NO_ROUTE and nothing lifted since: this event cannot change that (its times are
          // brought up to date in full when it is next answered).
          if (s.examinedStamp !== stamp) {
            s.examinedStamp = stamp;
            this.stats.examined++;
          }
          s.timesAt = -Infinity;
          continue;
        }
        // How far ahead the change is: the nearest changed edge of a session decides its urgency.
        if (s.examinedStamp !== stamp) {
          s.examinedStamp = stamp;
          s.urgency = Infinity;
          this.stats.examined++;
          this.stats.affected++;
          if (!s.queued) {
            s.queued = true;
            this.pending.push(s);
          }
        }
        // The index holds only the remaining route (postings behind the driver are stale).
        s.changedAt.push(at[k]!);
        const ahead = Math.max(0, s.track.cumM[at[k]!]! - s.match.alongM);
        if (ahead < s.urgency) s.urgency = ahead;
      }
    }
    hit.length = 0;
    // Drivers closest to the change first: they need the new route soonest.
    this.pending.sortTail(this.pending.size - batchStart, (x, y) => x.urgency - y.urgency);
    this.runPending();
  }

  /**
   * Work through the affected sessions in slices of a few milliseconds, yielding to the event loop in
   * between: a closure that touches thousands of routes must not stall every other socket meanwhile.
   * In order of urgency: the touched sessions (new routes and ETAs), then installing the routes sent
   * as patches, then the exact re-check of the repaired ones, then the proactive checks the timer
   * queued, then writing the changed records (and the timer's keep-alives).
   */
  private readonly runPending = (): void => {
    this.scheduled = false;
    if (this.running) return;
    this.running = true;
    // The answers of a slice go out together once it is done (a write between cars found the
    // kernel's send path cold each time), the urgent ones before the follow-up work.
    this.sends.hold();
    let done = false;
    try {
      done = this.runSlice();
    } finally {
      this.sends.release();
      this.running = false;
    }
    if (!done || this.dirty.size > 0) this.schedule();
  };

  /** One slice of runPending's work; whether all of it is done. */
  private runSlice(): boolean {
    const t0 = performance.now();
    const now = this.now();
    const sliceOver = (): boolean => performance.now() - t0 >= SLICE_MS;
    const answered = this.pending.drain((s) => {
      s.queued = false;
      this.onTrafficTouched(s, now);
    }, sliceOver);
    const t1 = performance.now();
    this.sends.flush();
    this.burst.flushMs += performance.now() - t1;
    if (answered && this.burstStart >= 0) {
      const ms = (this.stats.lastAnswerMs = performance.now() - this.burstStart);
      this.burstStart = -1;
      if (ms >= SLOW_ANSWER_MS) {
        const b = this.burst;
        const r = Math.round;
        const [run, wait] = threadTimes();
        // The main thread's own time in it, and its time waiting for a core (another process, GC threads).
        const runMs = (run - this.burstThread[0]) / 1e6;
        const waitMs = (wait - this.burstThread[1]) / 1e6;
        const gc = gcTimes();
        this.log.info({ ms: r(ms), runMs: r(runMs), waitMs: r(waitMs), sessions: b.sessions, repaired: b.repaired, searched: b.searched, cutOff: b.cutOff, searches: this.repairs.searches - b.searches, searchMs: r(this.repairs.searchMs - b.searchMs), detours: this.repairs.detours - b.detours, detourEdges: this.repairs.detourEdges - b.detourEdges, repairMs: r(b.repairMs), describeMs: r(b.describeMs), sendMs: r(b.sendMs), flushMs: r(b.flushMs), unrepairedMs: r(b.unrepairedMs), etaMs: r(b.etaMs), gcMs: [r(gc[0] - this.burstGc[0]), r(gc[1] - this.burstGc[1]), r(gc[2] - this.burstGc[2])] }, 'slow traffic answer');
      }
    }
    const done =
      answered &&
      this.installs.drain((s) => this.settle(s), sliceOver) &&
      this.recheck.drain((s) => {
        s.recheckQueued = false;
        this.checkFaster(s, 'faster');
      }, sliceOver) &&
      this.proactive.drain((s) => {
        s.proactiveQueued = false;
        this.checkFaster(s, 'proactive');
      }, sliceOver);
    if (done) {
      for (const s of this.dirty) {
        if (sliceOver()) break;
        this.dirty.delete(s);
        this.persistQuietly(s);
      }
    }
    return done;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.runPending);
  }

  private onTrafficTouched(s: NavSession, now: number): void {
    const changed = s.changedAt;
    if (s.ended) {
      changed.length = 0;
      return;
    }
    this.burst.sessions++;
    // The positions this burst changed, unless a full update is due (see NavSession.timesAt).
    if (s.timesAt > -Infinity && changed.length <= s.track.segments / 4 && !this.routing.traffic.live.expiredSince(s.timesAt, now)) {
      s.track.updateTimesAt(this.routing.graph, this.timing, changed, changed.length);
      changed.length = 0;
    } else this.refreshTimes(s);
    const left = this.leftOf(s);
    const here = this.positionOf(s);
    if (left === Infinity) {
      // A closure ahead: always a new route, whatever the storm limit says (the old one is impassable).
      // First the quick answer every car on the closed road can share (see ClosureRepair), checked
      // against an exact search once every affected car has one.
      const b = this.burst;
      const t0 = performance.now();
      const repaired = s.offRoute || this.remainingVias(s).length > 0 ? null : this.repairs.repair(s.track, s.match.segment, s.match.fraction, s.stored.options, s.stored.to);
      const t1 = performance.now();
      b.repairMs += t1 - t0;
      if (repaired) {
        // Clients that apply patches get the change only, and the route is installed here after the
        // urgent work; others get the whole route described now.
        const splice = this.patchable(s) ? spliceDetour(this.routing.graph, s.track, s.stored.route.maneuvers, repaired.plan, this.timing) : null;
        const whole = splice ? null : this.routing.service.describePath(repaired.edges, repaired.fromOffset, repaired.toOffset, { endsOnly: true });
        const t2 = performance.now();
        b.describeMs += t2 - t1;
        if (splice) this.sendPatch(s, splice, 'closure', now);
        else this.swapRoute(s, whole!, 'closure', true, true);
        b.sendMs += performance.now() - t2;
        this.stats.repaired++;
        b.repaired++;
        if (!s.recheckQueued) {
          s.recheckQueued = true;
          this.recheck.push(s);
        }
        return;
      }
      // No repair: often the closure cut the destination off. Proving that by search costs a full
      // exploration per car; the reachability of the open network answers it for all of them.
      const cutOff = this.remainingVias(s).length === 0 && this.routing.service.unreachable(here, s.stored.to, avoidOf(s.stored.options));
      if (cutOff) b.cutOff++;
      else b.searched++;
      if (cutOff || !this.replaceRoute(s, here, 'closure', true, true)) {
        this.push(s, { t: 'error', code: 'NO_ROUTE', message: 'a closure blocks the route and no other route reaches the destination' });
        s.cutOffAt = now;
        s.cutOffLifts = this.routing.traffic.live.liftVersion;
      }
      b.unrepairedMs += performance.now() - t1;
      return;
    }
    const t0 = performance.now();
    this.push(s, { t: 'nav_eta', session: s.id, reason: 'traffic', ...this.remaining(s, left, now) });
    this.stats.etaPushes++;
    this.tryFaster(s, here, left, 'faster');
    this.burst.etaMs += performance.now() - t0;
  }

  /**
   * Search again from where the car is and switch when that saves the configured time. `faster`: the
   * exact check of a repaired route (it keeps the old one up to the closure's approach; a route that
   * turns off earlier may be faster). `proactive`: the timer's check of a long trip.
   */
  private checkFaster(s: NavSession, reason: 'faster' | 'proactive'): void {
    if (s.ended || this.sessions.get(s.user) !== s) return;
    this.settle(s);
    this.refreshTimes(s);
    const left = this.leftOf(s);
    if (reason === 'faster' ? left !== Infinity : left > this.config.proactiveMinTripSec) this.tryFaster(s, this.positionOf(s), left, reason);
  }

  /** Search again from here; switch when the new route saves the configured time. */
  private tryFaster(s: NavSession, here: LatLng, left: number, reason: 'faster' | 'proactive'): void {
    let result: RouteResult;
    try {
      result = this.computeRoute([here, ...this.remainingVias(s), s.stored.to], s.stored.options);
    } catch {
      return;
    }
    const saving = left - result.duration;
    if (saving > 1 && (saving >= this.config.fasterSec || saving >= (left * this.config.fasterPct) / 100)) {
      this.swapRoute(s, result, reason, true);
    }
  }

  /**
   * Queue the proactive checks that are due and the keep-alives of the stored records (run by the
   * timer). Done in slices after any traffic work (runPending): sessions started together come due
   * together, and a tick that searched or wrote a thousand at once stalled every socket (and any
   * closure answer) for hundreds of milliseconds.
   */
  tick(): void {
    const now = this.now();
    // Routes that ended or changed leave stale postings in the edge index: a slice of it per tick.
    this.index.sweep(SWEEP_POSTINGS);
    // The closure repair's searches, a few per tick while sessions exist, so that no closure pays for them.
    if (this.sessions.size > 0) this.repairs.prepare(PREPARE_SEARCHES);
    for (const s of this.sessions.values()) {
      if (s.ended) continue;
      if (now >= s.nextProactiveAt && !s.proactiveQueued) {
        s.nextProactiveAt = now + this.config.proactiveMs;
        s.proactiveQueued = true;
        this.proactive.push(s);
      }
      // Keep the record alive while the user is connected but not moving.
      if (now - s.lastPersistAt >= this.config.graceMs / 3) this.dirty.add(s);
    }
    if (this.proactive.size > 0 || this.dirty.size > 0) this.schedule();
  }

  // ---- routes ----------------------------------------------------------------------------------

  private computeRoute(points: LatLng[], options: NavOptions): RouteResult {
    const res = this.routing.service.route({ points, avoid: avoidOf(options) });
    return res.routes[0]!;
  }

  /** Route again from `from`; false (old route kept) when no route exists. */
  private replaceRoute(s: NavSession, from: LatLng, reason: NavRouteReason, push: boolean, later = false): boolean {
    let result: RouteResult;
    try {
      result = this.computeRoute([from, ...this.remainingVias(s), s.stored.to], s.stored.options);
    } catch (err) {
      if (!(err instanceof LocusError)) this.log.warn({ err, user: s.user }, 'reroute failed');
      return false;
    }
    this.swapRoute(s, result, reason, push, later);
    return true;
  }

  /**
   * Make `result` the session's route. `later`: send it now and install it here after the urgent work
   * (as a patch is): what a closure's answers do, where installing (the edge index takes ~1,700
   * postings per route) for each car before the next one's answer delayed the last car's.
   */
  private swapRoute(s: NavSession, result: RouteResult, reason: NavRouteReason, push: boolean, later = false): void {
    this.settle(s);
    const old = s.stored;
    const stored = this.storedOf(old.id, old.user, old.to, this.remainingVias(s), old.options, result, old.startedAt);
    stored.rev = old.rev + 1;
    stored.reroutes = old.reroutes;
    stored.last = old.last;
    this.countReroute(reason);
    if (later) {
      s.pending = { stored, splice: null };
      this.installs.push(s);
      const now = this.now();
      const r = stored.route;
      // A new route starts where the car is: what is left of it is all of it.
      if (push) this.push(s, { t: 'nav_route', session: s.id, reason, rev: stored.rev, route: r, graphVersion: stored.graphVersion, distance: Math.round(r.distance), duration: Math.round(r.duration), eta: Math.round(now + r.duration * 1000) });
      return;
    }
    this.install(s, stored, trackOf(stored, this.routing.graph, this.trackBuffers));
    if (push) this.push(s, this.routeMessage(s, reason));
    this.persistSoon(s);
  }

  /** Make `stored` (with its `track`) the session's route: progress from its start, the edge index moved over. */
  private install(s: NavSession, stored: StoredSession, track: RouteTrack): void {
    const old = s.track;
    const swap = (): void => {
      s.stored = stored;
      s.track = track;
      s.match.segment = 0;
      s.match.fraction = 0;
      s.match.alongM = 0;
      s.match.offRouteM = 0;
    };
    s.away = 0;
    s.offRoute = false;
    s.lastPushedManeuver = -1;
    s.cutOffAt = -1;
    if (this.sessions.get(s.user) === s) {
      this.index.replace(s, () => {
        swap();
        this.refreshTimes(s);
      });
    } else {
      swap();
      s.timesAt = -Infinity;
      s.changedAt.length = 0;
    }
    // Nothing reads the replaced route's track any more: a splice made from it (s.pending) was
    // installed before this (settle), and the session's queues read s.track when they run.
    if (old !== track) old.release(this.trackBuffers);
  }

  /**
   * Seconds left on the session's route at the last updated speeds; Infinity when a closed road lies
   * ahead. A closure of the segment the car is already on does not count as one: a closure governs
   * entering a road, and a car inside the closed stretch drives out of it (rerouting it used to start
   * it on the nearest open road, often the other direction of its own street, or say NO_ROUTE when
   * its destination lies past the closure). That segment counts at its free-flow time.
   */
  private leftOf(s: NavSession): number {
    const t = s.track;
    const m = s.match;
    if (t.segS[m.segment] !== Infinity) return t.remainingSeconds(m);
    return t.remainingSeconds(m, t.segmentSeconds(this.routing.graph, this.freeFlow, m.segment));
  }

  /** Every segment time of the session's route at the speeds in force now (positions changed before are in). */
  private refreshTimes(s: NavSession): void {
    s.track.updateTimes(this.routing.graph, this.timing);
    s.timesAt = this.now();
    s.changedAt.length = 0;
  }

  private countReroute(reason: NavRouteReason): void {
    if (reason !== 'start' && reason !== 'state') {
      const key = reason as keyof NavigationStats['reroutes'];
      if (key in this.stats.reroutes) this.stats.reroutes[key]++;
    }
  }

  /** Whether a session told NO_ROUTE is certainly still without one: no closure lifted and no live value expired since. */
  private stillCutOff(s: NavSession, now: number): boolean {
    const live = this.routing.traffic.live;
    return live.liftVersion === s.cutOffLifts && !live.expiredSince(s.cutOffAt, now);
  }

  /** Whether every connection of the session's user applies route patches. */
  private patchable(s: NavSession): boolean {
    const set = this.sinks.get(s.user);
    if (!set || set.size === 0) return false;
    for (const sink of set) if (sink.routePatches !== true) return false;
    return true;
  }

  /**
   * Send a spliced route as a patch of the client's route, and queue installing it here: the urgent
   * part of a closure reroute is then the repair, the splice and one small message per car.
   */
  private sendPatch(s: NavSession, splice: RouteSplice, reason: NavRouteReason, now: number): void {
    const old = s.stored;
    const stored: StoredSession = {
      v: 2,
      id: old.id,
      user: old.user,
      to: old.to,
      vias: [],
      options: old.options,
      graphVersion: this.routing.traffic.graphVersion,
      route: { distance: splice.distance, duration: splice.duration, polyline: '', maneuvers: splice.maneuvers, summary: splice.summary },
      edges: [],
      start: splice.start,
      end: splice.end,
      viaAlong: [],
      segment: 0,
      last: old.last,
      startedAt: old.startedAt,
      reroutes: old.reroutes,
      rev: old.rev + 1,
    };
    s.pending = { stored, splice };
    this.installs.push(s);
    this.countReroute(reason);
    this.stats.patched++;
    const patch: NavPatch = {
      t: 'nav_patch',
      session: old.id,
      reason,
      base: old.rev,
      rev: old.rev + 1,
      start: [splice.start[1], splice.start[0]],
      keep: splice.keep,
      detour: splice.detourPolyline,
      resume: splice.resume,
      maneuvers: splice.wire,
      route: { distance: splice.distance, duration: splice.duration, summary: splice.summary },
      graphVersion: this.routing.traffic.graphVersion,
      distance: Math.round(splice.distance),
      duration: Math.round(splice.duration),
      eta: Math.round(now + splice.duration * 1000),
    };
    this.push(s, patch);
  }

  /** Install the route sent as a patch, if any (its edge list and polyline are made here). */
  private settle(s: NavSession): void {
    const pending = s.pending;
    if (!pending) return;
    s.pending = null;
    const stored = pending.stored;
    if (pending.splice) stored.edges = pending.splice.edges;
    const track = trackOf(stored, this.routing.graph, this.trackBuffers);
    if (pending.splice) {
      const flat = new Array<number>(2 * track.lat.length);
      for (let i = 0; i < track.lat.length; i++) {
        flat[2 * i] = track.lat[i]!;
        flat[2 * i + 1] = track.lng[i]!;
      }
      stored.route.polyline = encodePolyline(flat);
    }
    this.install(s, stored, track);
    this.persistSoon(s);
  }

  /** Install every route sent as a patch and not installed yet. */
  private settleAll(): void {
    this.installs.drain((s) => this.settle(s));
  }

  private storedOf(id: string, user: string, to: LatLng, vias: LatLng[], options: NavOptions, r: RouteResult, startedAt: number): StoredSession {
    const coords = r.geometry.coordinates;
    const stored: StoredSession = {
      v: 2,
      id,
      user,
      to,
      vias,
      options,
      graphVersion: this.routing.traffic.graphVersion,
      route: { distance: r.distance, duration: r.duration, polyline: r.polyline, maneuvers: r.maneuvers, summary: r.summary },
      edges: r.edges,
      start: coords[0]!,
      end: coords[coords.length - 1]!,
      viaAlong: [],
      segment: 0,
      last: null,
      startedAt,
      reroutes: [],
      rev: 0,
    };
    if (vias.length > 0) {
      // Where each via falls along the new route, in order (a via is passed once progress is beyond it).
      const t = trackOf(stored, this.routing.graph, this.trackBuffers);
      const m = { segment: 0, fraction: 0, offRouteM: 0, alongM: 0 };
      let from = 0;
      for (const v of vias) {
        t.matchInto(v.lat, v.lng, from, Infinity, m);
        stored.viaAlong.push(m.alongM);
        from = m.segment;
      }
      t.release(this.trackBuffers);
    }
    return stored;
  }

  private remainingVias(s: NavSession): LatLng[] {
    const st = s.stored;
    if (st.vias.length === 0) return st.vias;
    const along = s.match.alongM;
    return st.vias.filter((_, i) => (st.viaAlong[i] ?? Infinity) > along);
  }

  private positionOf(s: NavSession): LatLng {
    if (s.stored.last) return s.stored.last;
    const t = s.track;
    return { lat: t.lat[0]!, lng: t.lng[0]! };
  }

  // ---- messages and storage --------------------------------------------------------------------

  private remaining(s: NavSession, seconds: number, now: number): { distance: number; duration: number; eta: number } {
    return {
      distance: Math.round(s.track.remainingMeters(s.match)),
      duration: Math.round(seconds),
      eta: Math.round(now + seconds * 1000),
    };
  }

  private routeMessage(s: NavSession, reason: NavRouteReason): NavRouteMessage {
    this.settle(s);
    const left = this.leftOf(s);
    const seconds = Number.isFinite(left) ? left : s.stored.route.duration;
    return { t: 'nav_route', session: s.id, reason, rev: s.stored.rev, route: s.stored.route, graphVersion: s.stored.graphVersion, ...this.remaining(s, seconds, this.now()) };
  }

  private progressMessage(s: NavSession, next: number): NavigationMessage {
    const left = this.leftOf(s);
    const rem = this.remaining(s, Number.isFinite(left) ? left : s.stored.route.duration, this.now());
    const man = next >= 0 ? s.stored.route.maneuvers[next] : undefined;
    if (!man) return { t: 'nav_progress', session: s.id, offRoute: s.offRoute, ...rem };
    const nextInfo = {
      instruction: man.instruction,
      type: man.type,
      street: man.street,
      distance: Math.max(0, Math.round(s.track.maneuverAlong[next]! - s.match.alongM)),
      ...(man.modifier !== undefined ? { modifier: man.modifier } : {}),
    };
    return { t: 'nav_progress', session: s.id, offRoute: s.offRoute, next: nextInfo, ...rem };
  }

  private push(s: NavSession, msg: ServerMessage): void {
    const set = this.sinks.get(s.user);
    if (set) for (const sink of set) sink.send(msg);
  }

  private async end(s: NavSession, reason: NavEndReason): Promise<void> {
    if (s.ended) return;
    s.ended = true;
    s.pending = null;
    this.stats.ended[reason]++;
    this.push(s, { t: 'nav_end', session: s.id, reason });
    if (this.sessions.get(s.user) === s) {
      this.sessions.delete(s.user);
      this.index.remove(s);
      // An ended session's queued work checks `ended` before it reads the track.
      s.track.release(this.trackBuffers);
    }
    await this.engine.kv.del(keys.navSession(s.user)).catch((err: unknown) => this.log.warn({ err, user: s.user }, 'navigation session not deleted'));
  }

  private async persist(s: NavSession): Promise<void> {
    if (s.ended) return;
    this.settle(s);
    s.lastPersistAt = this.now();
    await this.engine.kv.set(keys.navSession(s.user), encodeSession(s.stored), this.config.graceMs);
  }

  /**
   * Write the record after the urgent work (see runPending): a reroute answers the car first. Until
   * then a reconnect elsewhere would resume the previous route; the gateway resuming it finds the
   * closure on it (the traffic overlay is shared through the engine) and reroutes (see activate).
   */
  private persistSoon(s: NavSession): void {
    this.dirty.add(s);
    if (!this.running) this.schedule();
  }

  private persistQuietly(s: NavSession): void {
    this.persist(s).catch((err: unknown) => this.log.warn({ err: (err as Error).message, user: s.user }, 'navigation session not saved'));
  }
}
