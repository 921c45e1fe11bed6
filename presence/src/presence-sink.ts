import type { FriendLocFrame } from '@locus/protocol';
import type { FenceFired } from './control-event.js';
import type { UserSettings } from './user-settings.js';

/** What a gateway connection receives from the hub. One sink per connection. */
export interface FriendState {
  readonly user: string;
  lat: number;
  lng: number;
  /** -1 when absent. */
  acc: number;
  ts: number;
  at: number;
}

export type GoneReason = 'expired' | 'out_of_range' | 'unfriended';
export type FriendEventKind = 'requested' | 'accepted' | 'declined' | 'removed';

export interface PresenceSink {
  /**
   * Hot path. `frame` already holds the msgpack bytes of this update except the distance: a binary
   * connection sends `frame.withDistance(d)`; the call must finish with the bytes before returning.
   */
  friendLocation(friend: FriendState, d: number, frame: FriendLocFrame): void;
  friendGone(user: string, reason: GoneReason): void;
  friendEvent(kind: FriendEventKind, user: string): void;
  settingsChanged(settings: UserSettings): void;
  /** One of the user's fences fired; `user` is who crossed it. */
  fenceEvent(user: string, fired: FenceFired): void;
}

/** Counters the hub reports; the gateway maps them to metrics. */
export interface HubObserver {
  /** One inbound update fanned out to `deliveries` local connections, `latencyMs` after acceptance. */
  fannedOut(deliveries: number, latencyMs: number): void;
  /** A payload on a location channel that did not decode (another gateway's bug, never trusted). */
  badPayload(channel: string): void;
  /** A deferred fan-out threw (HubDeps.deferFanOut): the other updates of the turn still went out. */
  fanOutFailed?(err: unknown): void;
}
