import { RoadClass } from '../graph/road-class.js';

/** km/h of "walk" (living streets in some countries): walking pace. */
export const WALK_KMH = 7;
/** km/h used for "none" (no limit) on a motorway: a typical cruising speed, not a limit. */
export const NO_LIMIT_KMH = 130;
const MPH = 1.609344;
const KNOT = 1.852;
/** Above this a value is a mapping error (or a race track), not a speed limit. */
const MAX_PLAUSIBLE_KMH = 200;

/**
 * Implicit limits written as "CC:zone" (https://wiki.openstreetmap.org/wiki/Key:maxspeed): the
 * countries around the data we ship, plus a few big ones. Zones missing here fall back to ZONE_KINDS.
 */
const COUNTRY_ZONES: ReadonlyMap<string, number> = new Map(
  Object.entries({
    'FR:urban': 50,
    'FR:rural': 80,
    'FR:motorway': 130,
    'MC:urban': 50,
    'IT:urban': 50,
    'IT:rural': 90,
    'IT:trunk': 110,
    'IT:motorway': 130,
    'DE:urban': 50,
    'DE:rural': 100,
    'DE:motorway': NO_LIMIT_KMH,
    'CH:urban': 50,
    'CH:rural': 80,
    'CH:trunk': 100,
    'CH:motorway': 120,
    'AT:urban': 50,
    'AT:rural': 100,
    'AT:motorway': 130,
    'ES:urban': 50,
    'ES:rural': 90,
    'ES:motorway': 120,
    'BE:urban': 50,
    'BE:motorway': 120,
    'NL:urban': 50,
    'NL:rural': 80,
    'NL:motorway': 100,
    'GB:nsl_single': 60 * MPH,
    'GB:nsl_dual': 70 * MPH,
    'GB:motorway': 70 * MPH,
  }),
);

/** The zone part alone, for countries not in the table: common European values. */
const ZONE_KINDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    urban: 50,
    rural: 90,
    trunk: 100,
    motorway: 120,
    living_street: WALK_KMH,
    walk: WALK_KMH,
  }),
);

/**
 * A maxspeed=* value in km/h, or undefined when it says nothing usable (absent, "signals",
 * "variable", nonsense) and the caller should use the class default. Accepts "50", "50 km/h",
 * "50 kmh", "30 mph", "10 knots", "FR:urban", "DE:zone30", "walk", and "none" (NO_LIMIT_KMH on a
 * motorway; other classes get their default). A list ("50;30", per lane or per time) gives its
 * lowest value: the limit every car can rely on.
 */
export function parseMaxspeed(value: string | undefined, roadClass: number): number | undefined {
  if (value === undefined) return undefined;
  let best: number | undefined;
  for (const part of value.split(';')) {
    const v = parseOne(part.trim().toLowerCase(), roadClass);
    if (v !== undefined && (best === undefined || v < best)) best = v;
  }
  return best;
}

function parseOne(s: string, roadClass: number): number | undefined {
  if (s === 'none') return roadClass === RoadClass.motorway ? NO_LIMIT_KMH : undefined;
  if (s === 'walk') return WALK_KMH;
  const m = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/.exec(s);
  if (m) return plausible(Number(m[1]) * (m[2] === 'mph' ? MPH : m[2] === 'knots' ? KNOT : 1));
  return zoneSpeed(s);
}

function zoneSpeed(s: string): number | undefined {
  const colon = s.indexOf(':');
  if (colon <= 0) return undefined;
  const country = s.slice(0, colon).toUpperCase();
  const zone = s.slice(colon + 1);
  const known = COUNTRY_ZONES.get(`${country}:${zone}`);
  if (known !== undefined) return known;
  // "DE:zone30", "FR:zone:30", "IT:zone30" and the like.
  const zoned = /^zone:?(\d+)$/.exec(zone);
  if (zoned) return plausible(Number(zoned[1]));
  return ZONE_KINDS.get(zone);
}

function plausible(kmh: number): number | undefined {
  return kmh > 0 && kmh <= MAX_PLAUSIBLE_KMH ? kmh : undefined;
}
