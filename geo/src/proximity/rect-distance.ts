import { EARTH_RADIUS_M, haversineMeters } from '../distance.js';

const RAD = Math.PI / 180;
const HALF_PI = Math.PI / 2;

/**
 * Smallest great-circle distance (metres) from a point to a latitude/longitude rectangle, exact
 * (the same sphere as haversineMeters), so a best-first search may prune every cell farther than
 * what it already has without ever losing a result. Works across the antimeridian (west > east) and
 * at the poles. Allocation-free.
 *
 * Inside the rectangle's longitude span the nearest point lies on the query's own meridian. Outside
 * it, the nearest point lies on one of the two bounding meridians: on such a meridian segment the
 * distance is smallest either at the foot of the perpendicular (when it falls inside the segment,
 * which needs |Δlng| < 90°) or at an end point.
 */
export function minDistanceToRect(lat: number, lng: number, south: number, north: number, west: number, east: number): number {
  let d: number;
  if (inLngSpan(lng, west, east)) {
    if (lat < south) d = (south - lat) * RAD * EARTH_RADIUS_M;
    else if (lat > north) d = (lat - north) * RAD * EARTH_RADIUS_M;
    else return 0;
  } else {
    d = Math.min(toMeridianSegment(lat, lng, west, south, north), toMeridianSegment(lat, lng, east, south, north));
  }
  // A bound must never exceed the distance haversineMeters computes for the nearest point, whatever
  // the rounding of either formula: give up a micrometre of pruning for that guarantee.
  return Math.max(0, d - MARGIN_M);
}

const MARGIN_M = 1e-6;

function inLngSpan(lng: number, west: number, east: number): boolean {
  return west <= east ? lng >= west && lng <= east : lng >= west || lng <= east;
}

function toMeridianSegment(lat: number, lng: number, m: number, south: number, north: number): number {
  let dl = (lng - m) * RAD;
  if (dl > Math.PI) dl -= 2 * Math.PI;
  else if (dl < -Math.PI) dl += 2 * Math.PI;
  const cosDl = Math.cos(dl);
  if (cosDl > 0) {
    const phi = lat * RAD;
    // Latitude of the point on the meridian's great circle nearest to the query point.
    const foot = Math.atan(Math.tan(phi) / cosDl);
    if (foot >= south * RAD && foot <= north * RAD && Math.abs(foot) <= HALF_PI) {
      // Cross-track distance to the meridian, in the atan2 form: acos(…) near 1 loses millimetres.
      const s = Math.sin(phi);
      const c = Math.cos(phi) * cosDl;
      return EARTH_RADIUS_M * Math.atan2(Math.cos(phi) * Math.abs(Math.sin(dl)), Math.sqrt(s * s + c * c));
    }
  }
  return Math.min(haversineMeters(lat, lng, south, m), haversineMeters(lat, lng, north, m));
}
