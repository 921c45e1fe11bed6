import type { LocationUpdate } from './client-messages.js';
import { readFloat64BE, readUint32BE } from './msgpack-bytes.js';

/*
 * The hot-path decoder for `loc`, the message every moving client sends a few times a second. It
 * reads the msgpack bytes straight into the message, without msgpackr's generic object or zod's
 * walk over the schema (together ~0.6 µs in a tight loop, several µs on a loaded gateway; see
 * BENCHMARKS.md, issue 7).
 *
 * It only answers for frames it can vouch for: a map (fixmap or map16) of the known fields (t, id, lat, lng, acc,
 * ts, seq), each once, with values the schema accepts, and nothing after it. Anything else (an
 * unknown field, a float32, a non-ASCII id, a bad value, trailing bytes) returns undefined and the
 * caller decodes the frame the general way, which accepts or reports it exactly as before. So the
 * fast path never changes what is accepted or how an error reads: a property test holds it to the
 * general path's result on random frames.
 */

const T = 1;
const ID = 2;
const LAT = 4;
const LNG = 8;
const ACC = 16;
const TS = 32;
const SEQ = 64;
const REQUIRED = T | LAT | LNG | TS;

/** Where the reader is; a field of the module, as the decoder is synchronous and never re-entered. */
let pos = 0;
let bytesOf: Uint8Array = new Uint8Array(0);

/** A `loc` message when `b` is a plain one this decoder reads, else undefined (decode it generally). */
export function decodeLocFrame(b: Uint8Array): LocationUpdate | undefined {
  const n0 = b.length;
  if (n0 < 1) return undefined;
  const head = b[0]!;
  let entries: number;
  if ((head & 0xf0) === 0x80) {
    entries = head & 0x0f;
    pos = 1;
  } else if (head === 0xde && n0 >= 3) {
    // map16: what msgpackr's default `pack` writes for every map.
    entries = (b[1]! << 8) | b[2]!;
    pos = 3;
  } else return undefined;
  bytesOf = b;
  let seen = 0;
  let id: string | number | undefined;
  let lat = NaN;
  let lng = NaN;
  let acc = NaN;
  let ts = NaN;
  let seq = NaN;
  for (let e = 0; e < entries; e++) {
    const field = readKey();
    if (field === 0 || (seen & field) !== 0) return undefined;
    seen |= field;
    if (field === T) {
      // fixstr "loc"
      if (pos + 4 > n0 || b[pos] !== 0xa3 || b[pos + 1] !== 0x6c || b[pos + 2] !== 0x6f || b[pos + 3] !== 0x63) return undefined;
      pos += 4;
    } else if (field === ID) {
      const v = readId();
      if (v === undefined) return undefined;
      id = v;
    } else {
      const v = readNumber();
      if (v !== v) return undefined; // NaN: not a number we read (or NaN itself: not finite either)
      if (field === LAT) lat = v;
      else if (field === LNG) lng = v;
      else if (field === ACC) acc = v;
      else if (field === TS) ts = v;
      else seq = v;
    }
  }
  if (pos !== n0 || (seen & REQUIRED) !== REQUIRED) return undefined;
  // The schema's checks (client-messages.ts locationFields); NaN already failed above.
  if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180) || !(ts > 0 && ts < Infinity)) return undefined;
  const msg: LocationUpdate = { t: 'loc', lat, lng, ts };
  if ((seen & ID) !== 0) msg.id = id;
  if ((seen & ACC) !== 0) {
    if (!(acc >= 0 && acc <= 100_000)) return undefined;
    msg.acc = acc;
  }
  if ((seen & SEQ) !== 0) {
    if (!(Number.isSafeInteger(seq) && seq >= 0)) return undefined;
    // -0 is an integer the schema accepts as is.
    msg.seq = seq;
  }
  return msg;
}

/** The field a key names (a bit of the mask), or 0 for anything else. */
function readKey(): number {
  const b = bytesOf;
  if (pos >= b.length) return 0;
  const h = b[pos]!;
  const len = h - 0xa0;
  if (len < 1 || len > 3 || pos + 1 + len > b.length) return 0;
  const c0 = b[pos + 1]!;
  pos += 1 + len;
  if (len === 1) return c0 === 0x74 ? T : 0; // t
  const c1 = b[pos - len + 1]!;
  if (len === 2) {
    if (c0 === 0x69 && c1 === 0x64) return ID; // id
    if (c0 === 0x74 && c1 === 0x73) return TS; // ts
    return 0;
  }
  const c2 = b[pos - 1]!;
  if (c0 === 0x6c) {
    if (c1 === 0x61 && c2 === 0x74) return LAT; // lat
    if (c1 === 0x6e && c2 === 0x67) return LNG; // lng
    return 0;
  }
  if (c0 === 0x61 && c1 === 0x63 && c2 === 0x63) return ACC; // acc
  if (c0 === 0x73 && c1 === 0x65 && c2 === 0x71) return SEQ; // seq
  return 0;
}

/**
 * A msgpack integer or float64 as a number; NaN for any other type, a float32 (msgpackr may round
 * those: left to it), or too few bytes. 64-bit integers convert as msgpackr's `int64AsType: 'number'`
 * does: one rounding of the exact value.
 */
function readNumber(): number {
  const b = bytesOf;
  const n = b.length;
  if (pos >= n) return NaN;
  const h = b[pos]!;
  if (h <= 0x7f) {
    pos++;
    return h;
  }
  if (h >= 0xe0) {
    pos++;
    return h - 0x100;
  }
  let size: number;
  switch (h) {
    case 0xcb:
    case 0xcf:
    case 0xd3:
      size = 8;
      break;
    case 0xcc:
    case 0xd0:
      size = 1;
      break;
    case 0xcd:
    case 0xd1:
      size = 2;
      break;
    case 0xce:
    case 0xd2:
      size = 4;
      break;
    default:
      return NaN;
  }
  const at = pos + 1;
  if (at + size > n) return NaN;
  pos = at + size;
  switch (h) {
    case 0xcb:
      return readFloat64BE(b, at);
    case 0xcc:
      return b[at]!;
    case 0xcd:
      return (b[at]! << 8) | b[at + 1]!;
    case 0xce:
      return readUint32BE(b, at);
    case 0xd0:
      return (b[at]! << 24) >> 24;
    case 0xd1:
      return (((b[at]! << 8) | b[at + 1]!) << 16) >> 16;
    case 0xd2:
      return readUint32BE(b, at) | 0;
    case 0xcf:
      return readUint32BE(b, at) * 4294967296 + readUint32BE(b, at + 4);
    default:
      return (readUint32BE(b, at) | 0) * 4294967296 + readUint32BE(b, at + 4);
  }
}

/** A request id the schema accepts: a safe integer, or an ASCII string of at most 64 characters. */
function readId(): string | number | undefined {
  const b = bytesOf;
  if (pos >= b.length) return undefined;
  const h = b[pos]!;
  let len: number;
  let at: number;
  if (h >= 0xa0 && h <= 0xbf) {
    len = h - 0xa0;
    at = pos + 1;
  } else if (h === 0xd9) {
    if (pos + 2 > b.length) return undefined;
    len = b[pos + 1]!;
    at = pos + 2;
  } else {
    const v = readNumber();
    return Number.isSafeInteger(v) ? v : undefined;
  }
  if (len > 64 || at + len > b.length) return undefined;
  let s = '';
  for (let i = at; i < at + len; i++) {
    const c = b[i]!;
    if (c >= 0x80) return undefined;
    s += String.fromCharCode(c);
  }
  pos = at + len;
  return s;
}
