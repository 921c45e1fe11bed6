/** The newest known position of a stranger. The object lives as long as the stranger is heard. */
export interface StrangerState {
  readonly user: string;
  lat: number;
  lng: number;
  /** Device time of the fix. */
  ts: number;
  /** Acceptance time (publishing gateway's clock). */
  at: number;
}

/**
 * out_of_range: the stranger (or the receiver) moved out of the receiver's radius.
 * expired: nothing heard for StrangerOptions.silenceMs.
 * left: the stranger opted out or disconnected. Deliberately not "opted_out": receivers need not learn
 * which of the two it was.
 */
export type StrangerGoneReason = 'out_of_range' | 'expired' | 'left';

/** What a gateway connection of an opted-in user receives. One sink per connection. */
export interface StrangerSink {
  /**
   * Hot path: a stranger within the radius, `d` metres away. `stranger` is the hub's live object: a
   * connection holding updates back under backpressure may keep the reference and read the newest
   * fields when it flushes (as Connection does with FriendState), but must not modify it.
   */
  strangerLocation(stranger: StrangerState, d: number): void;
  /** The stranger is no longer shown; called once per earlier strangerLocation streak. */
  strangerGone(user: string, reason: StrangerGoneReason): void;
}

/** Counters the hub reports; the gateway maps them to metrics. */
export interface StrangerObserver {
  /** One inbound update delivered to `deliveries` local connections, `latencyMs` after acceptance. */
  delivered(deliveries: number, latencyMs: number): void;
  /** A payload on a stranger channel that did not decode (never trusted, never passed on). */
  badPayload(channel: string): void;
}
