/**
 * Google's encoded polyline format (precision 5, what map clients and OSRM/Valhalla speak). Written
 * here rather than taken from @mapbox/polyline, which drags a CLI's 60 dependencies along for these
 * twenty lines; the property test checks the round trip and known vectors.
 */
export function encodePolyline(coords: ArrayLike<number>, precision = 5): string {
  const factor = 10 ** precision;
  // Character codes into a byte buffer, one native decode at the end: concatenating characters built
  // a rope of small strings, and String.fromCharCode over spread arrays cost ~10 ns a character.
  // (Every code is ASCII: 63…126.) At most 11 characters per coordinate pair at precision 5.
  const need = Math.ceil(coords.length / 2) * 2 * 7 + 16;
  if (bytes.length < need) bytes = new Uint8Array(Math.max(need, 2 * bytes.length));
  const out = bytes;
  let w = 0;
  let prevLat = 0;
  let prevLng = 0;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const lat = Math.round(coords[i]! * factor);
    const lng = Math.round(coords[i + 1]! * factor);
    w = encodeValue(lat - prevLat, out, w);
    w = encodeValue(lng - prevLng, out, w);
    prevLat = lat;
    prevLng = lng;
  }
  return ascii.decode(out.subarray(0, w));
}

let bytes = new Uint8Array(4096);
const ascii = new TextDecoder('latin1');

function encodeValue(v: number, out: Uint8Array, w: number): number {
  let n = v < 0 ? ~(v * 2) : v * 2;
  while (n >= 0x20) {
    out[w++] = (0x20 | (n & 0x1f)) + 63;
    n = Math.floor(n / 32);
  }
  out[w++] = n + 63;
  return w;
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
