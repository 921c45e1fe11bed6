/**
 * What travels on a stranger channel. Unlike a friend's channel, a cell's channel does not say who
 * published, so every message carries the user id. Fixed-width binary, like the 40-byte stored location:
 * the receiving hot path decodes into preallocated fields; the only allocation is the id string.
 *
 *   0      u8   kind (1 location, 2 gone, 3 left the cell)
 *   1..32  f64 × 4, little-endian: lat, lng, ts, at (zero for "gone")
 *   33     u8   id length n (1..128)
 *   34..   n bytes of id, ASCII (USER_ID_PATTERN)
 */
export const StrangerKind = {
  /** A position, published on the sender's own cell. */
  Location: 1,
  /** The sender opted out (or its last connection closed): receivers drop it now, not after the silence. */
  Gone: 2,
  /**
   * The sender moved to another cell; published on the cell it left, before its first location on the
   * new one. Carries the new position: receivers that do not listen to the new cell will hear nothing
   * more, and report the stranger out of range at once.
   */
  Left: 3,
} as const;
export type StrangerKind = (typeof StrangerKind)[keyof typeof StrangerKind];

export interface StrangerMessage {
  kind: StrangerKind;
  user: string;
  lat: number;
  lng: number;
  /** Device time of the fix. */
  ts: number;
  /** Acceptance time (publishing gateway's clock): the silence timer and latency base. */
  at: number;
}

const HEADER_BYTES = 34;
const MAX_ID_BYTES = 128;

/** Bytes allowed in a user id (USER_ID_PATTERN: A-Z a-z 0-9 _ . @ : -), as a lookup table. */
const ID_BYTE = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@:-') ID_BYTE[ch.charCodeAt(0)] = 1;

const latin1 = new TextDecoder('latin1');

/**
 * A fresh buffer per message: the bus delivers payloads by reference, so a published buffer must never
 * be reused. `user` must match USER_ID_PATTERN (the hub checks it once, at opt-in).
 */
export function encodeStrangerMessage(kind: StrangerKind, user: string, lat: number, lng: number, ts: number, at: number): Uint8Array {
  const n = user.length;
  const out = new Uint8Array(HEADER_BYTES + n);
  const v = new DataView(out.buffer);
  out[0] = kind;
  v.setFloat64(1, lat, true);
  v.setFloat64(9, lng, true);
  v.setFloat64(17, ts, true);
  v.setFloat64(25, at, true);
  out[33] = n;
  for (let i = 0; i < n; i++) out[HEADER_BYTES + i] = user.charCodeAt(i);
  return out;
}

/**
 * Decode into `out`; false (and `out` untouched) for anything that is not a well-formed message. The
 * bytes come from other gateways, possibly older or newer versions or buggy: never throws, and
 * rejects an unknown kind, a bad id and out-of-range coordinates rather than pass them to clients.
 */
export function decodeStrangerMessageInto(bytes: Uint8Array, out: StrangerMessage): boolean {
  const len = bytes.byteLength;
  if (len < HEADER_BYTES + 1) return false;
  const kind = bytes[0]!;
  if (kind !== StrangerKind.Location && kind !== StrangerKind.Gone && kind !== StrangerKind.Left) return false;
  const n = bytes[33]!;
  if (n === 0 || n > MAX_ID_BYTES || len !== HEADER_BYTES + n) return false;
  for (let i = HEADER_BYTES; i < len; i++) {
    const b = bytes[i]!;
    if (b >= 128 || ID_BYTE[b] === 0) return false;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, len);
  const lat = v.getFloat64(1, true);
  const lng = v.getFloat64(9, true);
  const ts = v.getFloat64(17, true);
  const at = v.getFloat64(25, true);
  if (kind !== StrangerKind.Gone) {
    if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180 && Number.isFinite(ts) && Number.isFinite(at))) return false;
  }
  out.kind = kind as StrangerKind;
  out.user = latin1.decode(bytes.subarray(HEADER_BYTES));
  out.lat = lat;
  out.lng = lng;
  out.ts = ts;
  out.at = at;
  return true;
}

export function decodeStrangerMessage(bytes: Uint8Array): StrangerMessage | null {
  const out: StrangerMessage = { kind: StrangerKind.Location, user: '', lat: 0, lng: 0, ts: 0, at: 0 };
  return decodeStrangerMessageInto(bytes, out) ? out : null;
}
