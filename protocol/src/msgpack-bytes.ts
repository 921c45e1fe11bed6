/**
 * Big-endian reads out of msgpack bytes for the hand-written decoders on hot paths (the gateway's
 * `loc` frames, the bench's load workers): no DataView per frame, no allocation per read.
 */

/** A float64's bytes are copied here to be read. */
const f64Bytes = new Uint8Array(8);
const f64 = new Float64Array(f64Bytes.buffer);
/** msgpack is big-endian; the scratch float is read in the platform's order. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The unsigned 32-bit integer at `at` (the caller has checked that 4 bytes are there). */
export function readUint32BE(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** The float64 at `at` (the caller has checked that 8 bytes are there). */
export function readFloat64BE(b: Uint8Array, at: number): number {
  if (littleEndian) for (let i = 0; i < 8; i++) f64Bytes[i] = b[at + 7 - i]!;
  else for (let i = 0; i < 8; i++) f64Bytes[i] = b[at + i]!;
  return f64[0]!;
}
