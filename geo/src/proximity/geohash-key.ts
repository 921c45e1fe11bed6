/**
 * 52-bit integer geohash (26 bits of longitude and 26 of latitude, interleaved, longitude first):
 * exactly `ngeohash.encode_int(lat, lng, 52)`, computed without allocation. Every geohash cell, at
 * any precision, is a contiguous range of these keys, so one sorted array serves every precision.
 * 52 bits fit a float64 exactly; cells at full depth are ~0.6 m.
 */
export const GEOHASH_BITS = 52;

export function geohashKey(lat: number, lng: number): number {
  let latLo = -90;
  let latHi = 90;
  let lngLo = -180;
  let lngHi = 180;
  let key = 0;
  for (let i = 0; i < GEOHASH_BITS; i++) {
    key *= 2;
    if ((i & 1) === 0) {
      const mid = (lngLo + lngHi) / 2;
      if (lng > mid) {
        key += 1;
        lngLo = mid;
      } else lngHi = mid;
    } else {
      const mid = (latLo + latHi) / 2;
      if (lat > mid) {
        key += 1;
        latLo = mid;
      } else latHi = mid;
    }
  }
  return key;
}

/** 2^n for n ≤ 52, exact in float64. */
export function pow2(n: number): number {
  return 2 ** n;
}
