/**
 * Google's encoded polyline format (precision 5, what map clients and OSRM/Valhalla speak). Written
 * here rather than taken from @mapbox/polyline, which drags a CLI's 60 dependencies along for these
 * twenty lines; the property test checks the round trip and known vectors.
 */
export function encodePolyline(coords: ArrayLike<number>, precision = 5): string {
  const factor = 10 ** precision;
  let out = '';
  let prevLat = 0;
  let prevLng = 0;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const lat = Math.round(coords[i]! * factor);
    const lng = Math.round(coords[i + 1]! * factor);
    out += encodeValue(lat - prevLat) + encodeValue(lng - prevLng);
    prevLat = lat;
    prevLng = lng;
  }
  return out;
}

function encodeValue(v: number): string {
  let n = v < 0 ? ~(v * 2) : v * 2;
  let s = '';
  while (n >= 0x20) {
    s += String.fromCharCode((0x20 | (n & 0x1f)) + 63);
    n = Math.floor(n / 32);
  }
  return s + String.fromCharCode(n + 63);
}

/** Decodes to lat,lng pairs (used by tests and clients written against this module). */
export function decodePolyline(s: string, precision = 5): number[] {
  const factor = 10 ** precision;
  const out: number[] = [];
  let i = 0;
  let lat = 0;
  let lng = 0;
  while (i < s.length) {
    for (let k = 0; k < 2; k++) {
      let result = 0;
      let shift = 1;
      let b: number;
      do {
        b = s.charCodeAt(i++) - 63;
        result += (b & 0x1f) * shift;
        shift *= 32;
      } while (b >= 0x20);
      const d = result % 2 === 1 ? -(result + 1) / 2 : result / 2;
      if (k === 0) lat += d;
      else lng += d;
    }
    out.push(lat / factor, lng / factor);
  }
  return out;
}
