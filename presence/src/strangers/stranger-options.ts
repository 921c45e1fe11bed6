import { MAX_GRID_PRECISION } from './geohash-grid.js';

/** Nearby-strangers settings; the gateway fills them from its configuration. */
export interface StrangerOptions {
  /**
   * Geohash precision of the stranger channels. Publishers publish on the cell of this precision and
   * subscribers listen on cells of it, so it must be the same on every gateway of a deployment: changing
   * it is a rolling-restart hazard (old and new gateways would not hear each other). 5 ≈ 4.9 × 4.9 km
   * cells at the equator.
   */
  precision: number;
  /** Radius used when the client gives none (metres). */
  defaultRadiusM: number;
  /**
   * Largest radius a user may ask for (metres; larger requests are clamped). Together with
   * `precision` it decides how many channels one user subscribes: with cells about as large as the
   * radius, a circle touches at most 4 × 4 cells at the equator and 4 × 6 at 60° latitude.
   */
  maxRadiusM: number;
  /**
   * Channel subscriptions per opted-in user at most. Beyond it (only far north or south with the
   * defaults) the covered radius shrinks instead: strangers between it and the radius go unseen.
   */
  maxCells: number;
  /** A stranger not heard from for this long is reported gone. Must exceed the clients' longest fix interval. */
  silenceMs: number;
}

/**
 * 5 km at precision 5 keeps every user at ≤ 25 channels up to about 65° latitude. A 20 km radius at
 * precision 5 would need up to ~100 channels per user (~180 at 60°); for that, use precision 4
 * (39 × 19.5 km cells: ≤ 16 channels up to 70°), at the cost of hearing, and discarding, the updates of a
 * larger area.
 */
export const DEFAULT_STRANGER_OPTIONS: StrangerOptions = {
  precision: 5,
  defaultRadiusM: 2_000,
  maxRadiusM: 5_000,
  maxCells: 25,
  silenceMs: 60_000,
};

/** Throws on settings the hub cannot work with (a configuration error, found at start). */
export function validateStrangerOptions(o: StrangerOptions): StrangerOptions {
  if (!Number.isInteger(o.precision) || o.precision < 1 || o.precision > MAX_GRID_PRECISION) {
    throw new RangeError(`strangers.precision must be an integer in [1, ${MAX_GRID_PRECISION}]`);
  }
  if (!(o.maxRadiusM > 0)) throw new RangeError('strangers.maxRadiusM must be > 0');
  if (!(o.defaultRadiusM > 0 && o.defaultRadiusM <= o.maxRadiusM)) {
    throw new RangeError('strangers.defaultRadiusM must be in (0, maxRadiusM]');
  }
  // A point near a cell corner touches 4 cells even with a tiny radius.
  if (!Number.isInteger(o.maxCells) || o.maxCells < 4) throw new RangeError('strangers.maxCells must be an integer ≥ 4');
  if (!(o.silenceMs >= 1_000)) throw new RangeError('strangers.silenceMs must be ≥ 1000');
  return o;
}
