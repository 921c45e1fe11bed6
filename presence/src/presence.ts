import { channels, keys, type Engine, type RecordWrite } from '@locus/engine';
import { LocusError } from '@locus/protocol';
import { FriendGraph } from './friend-graph.js';
import { LocationCache } from './location-cache.js';
import { LocationHistory } from './location-history.js';
import { NearbyHub } from './nearby-hub.js';
import type { PresenceOptions } from './presence-options.js';
import type { RoamingFence } from './nearby-hub.js';
import type { HubObserver } from './presence-sink.js';
import { LocationSeqGuard } from './location-seq.js';
import { encodeStoredLocation, type StoredLocation } from './stored-location.js';
import { StrangerHub } from './strangers/stranger-hub.js';
import type { StrangerObserver } from './strangers/stranger-sink.js';
import { UserSettingsStore } from './user-settings.js';

export interface Fix {
  lat: number;
  lng: number;
  acc?: number | undefined;
  ts: number;
  /** Client sequence number: a seq not above the user's highest accepted one is not applied again. */
  seq?: number | undefined;
}

export interface Accepted {
  location: StoredLocation;
  /** false when the fix was older than the user's newest one: kept in history, not published. */
  live: boolean;
  /** true when `seq` was already accepted: nothing was written (acknowledge it again, apply nothing). */
  duplicate?: boolean;
}

/**
 * The presence service: the one place a location update is accepted. Cache, history and the user's
 * channel are written together; the gateway acknowledges only after all three succeeded, so an
 * acknowledged update is never lost (a failed one is reported and may be retried by the client).
 */
export class Presence {
  readonly cache: LocationCache;
  readonly history: LocationHistory;
  readonly graph: FriendGraph;
  readonly settings: UserSettingsStore;
  readonly hub: NearbyHub;
  readonly strangers: StrangerHub;
  private readonly seqs: LocationSeqGuard;

  constructor(
    private readonly engine: Engine,
    readonly options: PresenceOptions,
    observer?: HubObserver,
    now: () => number = Date.now,
    roamingOf?: (owner: string) => readonly RoamingFence[],
    strangerObserver?: StrangerObserver,
  ) {
    this.now = now;
    this.cache = new LocationCache(engine);
    this.seqs = new LocationSeqGuard(engine, options.locationTtlMs, (user) => this.hub.attachment(user));
    this.history = new LocationHistory(engine, options.historyRetentionMs, options.historyMaxLen);
    this.graph = new FriendGraph(engine, options.maxFriends);
    this.settings = new UserSettingsStore(engine, { radius: options.defaultRadiusM });
    this.hub = new NearbyHub({
      engine,
      cache: this.cache,
      graph: this.graph,
      settings: this.settings,
      locationTtlMs: options.locationTtlMs,
      observer,
      now,
      ...(roamingOf ? { roamingOf } : {}),
      onLeft: (user) => this.seqs.forget(user),
      deferFanOut: options.deferFanOut === true,
    });
    this.strangers = new StrangerHub({
      engine,
      now,
      ...(options.strangers ? { options: options.strangers } : {}),
      ...(strangerObserver ? { observer: strangerObserver } : {}),
    });
  }

  private readonly now: () => number;

  async acceptLocation(user: string, fix: Fix): Promise<Accepted> {
    const at = this.now();
    if (fix.ts > at + this.options.maxFixFutureMs) {
      throw new LocusError('BAD_MESSAGE', 'ts is in the future (check the device clock)', { field: 'ts' });
    }
    if (fix.ts < at - this.options.maxFixAgeMs) {
      throw new LocusError('BAD_MESSAGE', 'ts is older than the accepted age', { field: 'ts' });
    }
    const location: StoredLocation = { lat: fix.lat, lng: fix.lng, acc: fix.acc ?? -1, ts: fix.ts, at };
    const seq = fix.seq;
    if (seq === undefined) {
      const live = this.isLive(user, location);
      await this.write(user, location, undefined, live);
      return { location, live };
    }
    // claim and settle answer without a promise in the common case (see LocationSeqGuard).
    const claim = this.seqs.claim(user, seq);
    if (!(claim === true || (claim !== false && (await claim)))) return { location, live: false, duplicate: true };
    let accepted = false;
    const live = this.isLive(user, location);
    try {
      await this.write(user, location, seq, live);
      accepted = true;
      return { location, live };
    } finally {
      // A live update's record wrote the seq too (RecordWrite.seq): one engine command, not two.
      const settling = this.seqs.settle(user, seq, accepted, accepted && live);
      if (settling !== undefined) await settling;
    }
  }

  /** A replayed older fix must not move the user backwards: it goes to history only. */
  private isLive(user: string, location: StoredLocation): boolean {
    return location.ts >= this.hub.lastFixTs(user);
  }

  /**
   * The engine writes of an update (and, when live, the local fan-out). Not an async function: the
   * engine's own promise is returned, one promise and one microtask fewer per update than a wrapper.
   */
  private write(user: string, location: StoredLocation, seq: number | undefined, live: boolean): Promise<unknown> {
    const bytes = encodeStoredLocation(location);
    if (!live) return this.history.append(user, bytes);
    this.hub.ownLocation(user, location);
    // Moving stranger subscriptions is not part of accepting the update: a failure there must not
    // fail the acknowledgement (the next fix retries it).
    // Most users never opt in: no stranger work (not even a promise) on their updates.
    const stranger = this.strangers.isOptedIn(user);
    if (stranger) this.strangers.moved(user, location.lat, location.lng).catch(() => undefined);
    // Friends on this gateway get it now; those elsewhere through the engine (see publishLocal).
    this.hub.publishLocal(user, location);
    // Cache, history and the user's channel in one engine step (one script run on Redis: the three
    // names share the user's hash tag).
    const record: RecordWrite = { key: keys.location(user), ttlMs: this.options.locationTtlMs, stream: keys.history(user), streamOptions: this.history.options, channel: channels.location(user) };
    if (seq !== undefined) record.seq = { key: keys.locationSeq(user), value: seq };
    if (stranger) return Promise.all([this.engine.record(record, bytes), this.strangers.publishFor(user, location)]);
    return this.engine.record(record, bytes);
  }
}
