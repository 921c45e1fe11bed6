/**
 * ioredis writes Buffer arguments as bytes but stringifies anything else, so a plain Uint8Array would
 * be sent as "1,2,3". Wrap it as a Buffer view over the same memory (no copy).
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
