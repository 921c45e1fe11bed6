/**
 * What a load worker needs of each message it receives: its kind, and for a delivery the sender's
 * stamp `ts`. The workers receive every delivery of every stack, and on a 2-core machine the CPU
 * they spend is taken from the server under test: decoding each message whole (msgpackr's object,
 * or JSON.parse of a Socket.IO frame) was ~14 % of a worker's CPU. These readers look only at the
 * fields the bench uses, straight from the bytes, and hand anything they do not recognise back to
 * the general decoders (UNKNOWN), so a message is never counted differently by the two paths (a
 * property test holds them to each other). The general decoders are here too, as the worker used them.
 */
import { readFloat64BE, readUint32BE } from '@locus/protocol';
import { unpack } from 'msgpackr';

export const UNKNOWN = 0;
export const DELIVERY = 1;
export const ACK = 2;
export const ERROR = 3;
export const OTHER = 4;
export type MessageKind = typeof UNKNOWN | typeof DELIVERY | typeof ACK | typeof ERROR | typeof OTHER;

/** Where a reader leaves a delivery's stamp (one object per worker: no allocation per message). */
export interface Stamp {
  ts: number;
}

/** Nesting beyond this is not a bench message: handed to the general decoder. */
const MAX_DEPTH = 8;

/** Bytes of `t`'s values the bench knows, as msgpack str (fixstr header + ASCII). */
const T_FRIEND_LOC = Buffer.from('\xaafriend_loc', 'latin1');
const T_OK = Buffer.from('\xa2ok', 'latin1');
const T_ERROR = Buffer.from('\xa5error', 'latin1');

function sameBytes(b: Uint8Array, p: number, want: Uint8Array): boolean {
  if (p + want.length > b.length) return false;
  for (let i = 0; i < want.length; i++) if (b[p + i] !== want[i]) return false;
  return true;
}

const u16 = (b: Uint8Array, p: number): number => (b[p]! << 8) | b[p + 1]!;

/**
 * Position just past the msgpack value at `p`, or -1 when it is cut short, nested too deep, or of a
 * kind the bench never sends (ext, timestamps, 64-bit integers: msgpackr may turn those into objects
 * or BigInts, so the general decoder decides).
 */
function skip(b: Uint8Array, p: number, depth: number): number {
  if (p >= b.length || depth > MAX_DEPTH) return -1;
  const c = b[p]!;
  let n: number;
  let q: number;
  if (c <= 0x7f || c >= 0xe0 || c === 0xc0 || c === 0xc2 || c === 0xc3) return p + 1;
  if (c >= 0xa0 && c <= 0xbf) q = p + 1 + (c & 0x1f);
  else if (c >= 0x90 && c <= 0x9f) return skipMany(b, p + 1, c & 0x0f, depth);
  else if (c >= 0x80 && c <= 0x8f) return skipMany(b, p + 1, 2 * (c & 0x0f), depth);
  else
    switch (c) {
      case 0xcc:
      case 0xd0:
        q = p + 2;
        break;
      case 0xcd:
      case 0xd1:
        q = p + 3;
        break;
      case 0xca:
      case 0xce:
      case 0xd2:
        q = p + 5;
        break;
      case 0xcb:
        q = p + 9;
        break;
      case 0xc4:
      case 0xd9:
        if (p + 2 > b.length) return -1;
        q = p + 2 + b[p + 1]!;
        break;
      case 0xc5:
      case 0xda:
        if (p + 3 > b.length) return -1;
        q = p + 3 + u16(b, p + 1);
        break;
      case 0xc6:
      case 0xdb:
        if (p + 5 > b.length) return -1;
        q = p + 5 + readUint32BE(b, p + 1);
        break;
      case 0xdc:
      case 0xde:
        if (p + 3 > b.length) return -1;
        n = u16(b, p + 1);
        return skipMany(b, p + 3, c === 0xde ? 2 * n : n, depth);
      case 0xdd:
      case 0xdf:
        if (p + 5 > b.length) return -1;
        n = readUint32BE(b, p + 1);
        return skipMany(b, p + 5, c === 0xdf ? 2 * n : n, depth);
      default:
        return -1;
    }
  return q <= b.length ? q : -1;
}

function skipMany(b: Uint8Array, p: number, count: number, depth: number): number {
  for (let i = 0; i < count && p >= 0; i++) p = skip(b, p, depth + 1);
  return p;
}

/**
 * A msgpack number at `p` as msgpackr reads it, or NaN for anything else. float32 (which the bench
 * never sends, and which msgpackr may be set to round) and 64-bit integers go the general way.
 */
function readNumber(b: Uint8Array, p: number): number {
  const c = b[p]!;
  if (c <= 0x7f) return c;
  if (c >= 0xe0) return c - 0x100;
  switch (c) {
    case 0xcb:
      return p + 9 <= b.length ? readFloat64BE(b, p + 1) : Number.NaN;
    case 0xcc:
      return p + 2 <= b.length ? b[p + 1]! : Number.NaN;
    case 0xcd:
      return p + 3 <= b.length ? u16(b, p + 1) : Number.NaN;
    case 0xce:
      return p + 5 <= b.length ? readUint32BE(b, p + 1) : Number.NaN;
    case 0xd0:
      return p + 2 <= b.length ? (b[p + 1]! << 24) >> 24 : Number.NaN;
    case 0xd1:
      return p + 3 <= b.length ? (u16(b, p + 1) << 16) >> 16 : Number.NaN;
    case 0xd2:
      return p + 5 <= b.length ? readUint32BE(b, p + 1) | 0 : Number.NaN;
    default:
      return Number.NaN;
  }
}

/**
 * A Locus or bare-uWS message (a msgpack map with a string `t`): DELIVERY (`friend_loc` with a
 * numeric `ts`, left in `out.ts`), ACK (`ok`), ERROR (`error`), OTHER (another map), or UNKNOWN
 * (not a map the reader walks whole: the caller decodes it the general way). Keys are read as
 * msgpackr reads them; a repeated key counts with its last value, as in the decoded object.
 */
export function readMsgpackMessage(b: Uint8Array, out: Stamp): MessageKind {
  if (b.length === 0) return UNKNOWN;
  const c = b[0]!;
  let n: number;
  let p: number;
  if (c >= 0x80 && c <= 0x8f) {
    n = c & 0x0f;
    p = 1;
  } else if (c === 0xde && b.length >= 3) {
    n = u16(b, 1);
    p = 3;
  } else return UNKNOWN;
  let kind: MessageKind = OTHER;
  let hasT = false;
  let ts = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (p >= b.length) return UNKNOWN;
    const k = b[p]!;
    // Keys the bench reads are fixstr; any other key kind is skipped like a value.
    if (k === 0xa1 && b[p + 1] === 0x74) {
      p += 2; // "t"
      if (p >= b.length) return UNKNOWN;
      hasT = true;
      if (sameBytes(b, p, T_FRIEND_LOC)) kind = DELIVERY;
      else if (sameBytes(b, p, T_OK)) kind = ACK;
      else if (sameBytes(b, p, T_ERROR)) kind = ERROR;
      else if (b[p]! >= 0xa0 && b[p]! <= 0xbf) kind = OTHER;
      else return UNKNOWN; // a `t` that is not a short string: the general decoder decides
    } else if (k === 0xa2 && b[p + 1] === 0x74 && b[p + 2] === 0x73) {
      p += 3; // "ts"
      if (p >= b.length) return UNKNOWN;
      ts = readNumber(b, p);
    } else if (k >= 0xa0 && k <= 0xbf) {
      p += 1 + (k & 0x1f);
    } else return UNKNOWN;
    p = skip(b, p, 1);
    if (p < 0) return UNKNOWN;
  }
  // Trailing bytes: msgpackr would read more than one value; leave that to it.
  if (p !== b.length || !hasT) return UNKNOWN;
  if (kind === DELIVERY) {
    if (Number.isNaN(ts)) return UNKNOWN;
    out.ts = ts;
  }
  return kind;
}

const SIO_DELIVERY = Buffer.from('42["friend_loc",{', 'latin1');
const SIO_TS = Buffer.from('"ts":', 'latin1');

/**
 * A Socket.IO delivery frame as the bench's Socket.IO server sends it, `42["friend_loc",{…,"ts":N,…}]`
 * with its body of plain scalar fields: DELIVERY with `out.ts`; UNKNOWN for anything else (the caller
 * parses it the general way: pings, acks, other events, bodies with nested values or quotes).
 */
export function readSocketIoDelivery(b: Buffer, out: Stamp): MessageKind {
  if (!sameBytes(b, 0, SIO_DELIVERY)) return UNKNOWN;
  const bodyStart = SIO_DELIVERY.length - 1;
  const end = b.length - 2;
  // Only a flat body with no string holding a brace or bracket: `"ts":` is then a top-level key.
  if (b[end] !== 0x7d || b[end + 1] !== 0x5d) return UNKNOWN;
  for (let i = bodyStart + 1; i < end; i++) {
    const c = b[i]!;
    if (c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x5c) return UNKNOWN;
  }
  const k = b.indexOf(SIO_TS, bodyStart);
  if (k < 0 || k > end) return UNKNOWN;
  // The key must start a member: right after `{` or `,`.
  const before = b[k - 1];
  if (before !== 0x7b && before !== 0x2c) return UNKNOWN;
  if (b.indexOf(SIO_TS, k + 1) >= 0) return UNKNOWN; // a repeated key: JSON.parse keeps the last
  let j = k + SIO_TS.length;
  const from = j;
  while (j < end) {
    const c = b[j]!;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45) j++;
    else break;
  }
  if (j === from || (b[j] !== 0x2c && j !== end)) return UNKNOWN;
  const ts = Number(b.toString('latin1', from, j));
  if (!Number.isFinite(ts)) return UNKNOWN;
  out.ts = ts;
  return DELIVERY;
}

/** The general way for a binary message: msgpackr's whole object. */
export function decodeMsgpackMessage(b: Uint8Array, out: Stamp): MessageKind {
  let m: unknown;
  try {
    m = unpack(b);
  } catch {
    return OTHER;
  }
  if (typeof m !== 'object' || m === null) return OTHER;
  const { t, ts } = m as { t?: unknown; ts?: unknown };
  if (t === 'friend_loc' && typeof ts === 'number') {
    out.ts = ts;
    return DELIVERY;
  }
  return t === 'ok' ? ACK : t === 'error' ? ERROR : OTHER;
}

/**
 * The general way for a Socket.IO message after the Engine.IO type `4` (a ping `2` is answered by the
 * caller): `42[name,body]` an event, `43…` an ack, `44…` a connect error.
 */
export function decodeSocketIoMessage(text: string, out: Stamp): MessageKind {
  if (text.charCodeAt(0) !== 0x34) return OTHER; // '4' = Engine.IO message; open ('0') and others
  const kind = text.charCodeAt(1);
  if (kind === 0x33) return ACK; // '3' ACK: 43N[seq]
  if (kind === 0x34) return ERROR; // '4' CONNECT_ERROR
  if (kind !== 0x32) return OTHER;
  let event: unknown;
  try {
    event = JSON.parse(text.slice(2));
  } catch {
    return OTHER;
  }
  if (!Array.isArray(event)) return OTHER;
  const [name, body] = event as [unknown, { ts?: unknown } | null | undefined];
  if (name === 'friend_loc' && typeof body === 'object' && body !== null && typeof body.ts === 'number') {
    out.ts = body.ts;
    return DELIVERY;
  }
  return OTHER;
}
