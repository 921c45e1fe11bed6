import type { OsmTags } from './osm-item.js';

/**
 * May a private car use this way, according to its access tags? The most specific tag with a known
 * value wins (motorcar > motor_vehicle > vehicle > access), so `access=private` + `motorcar=yes`
 * is open to cars and `access=yes` + `motor_vehicle=no` is closed.
 */
export type CarAccess = 'yes' | 'no' | 'unspecified';

const ALL_KEYS = ['motorcar', 'motor_vehicle', 'vehicle', 'access'] as const;
/** The tags that speak about cars by name: what opts a track or a ferry in. */
const CAR_KEYS = ['motorcar', 'motor_vehicle'] as const;

/**
 * Open: destination / customers / delivery are kept, because a car trip often ends exactly there
 * (a shop's car park, a residents' street); the router does not penalise them (yet).
 */
const OPEN = new Set(['yes', 'permissive', 'designated', 'destination', 'customers', 'delivery', 'official', 'discouraged']);
/** Closed to the general public's cars. `private` is closed: routing through it is not allowed. */
const CLOSED = new Set(['no', 'private', 'agricultural', 'forestry', 'emergency', 'psv', 'bus', 'military', 'permit', 'use_sidepath']);

export function carAccess(tags: OsmTags): CarAccess {
  return decide(tags, ALL_KEYS);
}

/**
 * Only what motorcar / motor_vehicle say. A ferry or a track is for cars only when tagged so:
 * `access=yes` on a passenger ferry does not put cars on it.
 */
export function explicitCarAccess(tags: OsmTags): CarAccess {
  return decide(tags, CAR_KEYS);
}

function decide(tags: OsmTags, keys: readonly string[]): CarAccess {
  for (const key of keys) {
    const v = tags[key];
    if (v === undefined) continue;
    if (OPEN.has(v)) return 'yes';
    if (CLOSED.has(v)) return 'no';
    // Unknown value ("unknown", typos): let the less specific tag decide.
  }
  return 'unspecified';
}
