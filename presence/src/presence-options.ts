import type { StrangerOptions } from './strangers/stranger-options.js';

/** Presence settings; the gateway fills them from the environment (see README "Configuration"). */
export interface PresenceOptions {
  /** How long a location stays in the cache without a new update (ms). */
  locationTtlMs: number;
  /** Nearby radius for users who have not set one (metres). */
  defaultRadiusM: number;
  /** History retention (ms). */
  historyRetentionMs: number;
  /** History entries kept per user at most (bounds memory on the memory engine). */
  historyMaxLen: number;
  /** Friends (and pending requests) per user at most: each friend is a channel subscription. */
  maxFriends: number;
  /** Oldest accepted fix, relative to now (ms): offline buffers replay late fixes. */
  maxFixAgeMs: number;
  /** Newest accepted fix, relative to now (ms): device clocks drift. */
  maxFixFutureMs: number;
  /** Nearby strangers (geohash precision, radius bounds, silence before "gone"). */
  strangers?: Partial<StrangerOptions>;
  /** Friend fan-out once per event-loop turn, not inside the I/O callback (HubDeps.deferFanOut). */
  deferFanOut?: boolean;
}

export const DEFAULT_PRESENCE_OPTIONS: PresenceOptions = {
  locationTtlMs: 10 * 60_000,
  defaultRadiusM: 8_000,
  historyRetentionMs: 7 * 24 * 3_600_000,
  historyMaxLen: 10_000,
  maxFriends: 1_000,
  maxFixAgeMs: 24 * 3_600_000,
  maxFixFutureMs: 60_000,
};
