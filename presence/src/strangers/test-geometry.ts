import { EARTH_RADIUS_M } from '@locus/geo';

const RAD = Math.PI / 180;

/** The point `distanceM` from (lat, lng) along the initial bearing `bearingDeg` (test helper). */
export function destination(lat: number, lng: number, distanceM: number, bearingDeg: number): { lat: number; lng: number } {
  if (distanceM === 0) return { lat, lng };
  const d = distanceM / EARTH_RADIUS_M;
  const p1 = lat * RAD;
  const t = bearingDeg * RAD;
  const p2 = Math.asin(Math.min(1, Math.max(-1, Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t))));
  const l2 = lng * RAD + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  let outLng = l2 / RAD;
  // Back into [-180, 180] (only when outside: a modulo would round tiny longitudes away).
  if (outLng > 180) outLng -= 360;
  else if (outLng < -180) outLng += 360;
  return { lat: Math.min(90, Math.max(-90, p2 / RAD)), lng: outLng };
}

/** Metres north as degrees of latitude. */
export const northDeg = (m: number): number => m / (EARTH_RADIUS_M * RAD);
