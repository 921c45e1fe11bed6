/**
 * Great-circle distance. Locus uses the IUGG mean earth radius everywhere (nearby friends, search
 * radius, geofences), so "within R metres" means the same thing in every feature.
 */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres (the name is kept for what callers expect; the formula is the
 * atan2 / Vincenty form for the sphere). Haversine's asin is ill-conditioned near antipodal points
 * (centimetre errors that break the triangle inequality); this form is accurate for every pair, at the
 * cost of two more trig calls. Allocation-free.
 */
export function haversineMeters(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  return distanceFromTrig(Math.sin(p1), Math.cos(p1), lng1, Math.sin(p2), Math.cos(p2), lng2);
}

/** sin and cos of a latitude (degrees), for distanceFromTrig: a point's are worked out once per move. */
export function latSin(lat: number): number {
  return Math.sin(lat * RAD);
}
export function latCos(lat: number): number {
  return Math.cos(lat * RAD);
}

/**
 * haversineMeters from each point's latitude sine and cosine (latSin, latCos) and longitude: the
 * same arithmetic, so the same result to the bit. For the fan-out, which measures one moved point
 * against many that did not move: two trig calls per pair instead of six.
 */
export function distanceFromTrig(sp1: number, cp1: number, lng1: number, sp2: number, cp2: number, lng2: number): number {
  const dl = (lng2 - lng1) * RAD;
  const sdl = Math.sin(dl);
  const cdl = Math.cos(dl);
  const x = cp2 * sdl;
  const y = cp1 * sp2 - sp1 * cp2 * cdl;
  return EARTH_RADIUS_M * Math.atan2(Math.sqrt(x * x + y * y), sp1 * sp2 + cp1 * cp2 * cdl);
}
