/**
 * A msgpack array of strings (str 32 each, so every header is 5 bytes and a field's length is
 * written after its bytes), built field by field into one reused buffer: what RecordBatcher sends
 * Redis's Lua `cmsgpack.unpack` (which reads str, not bin, as a Lua string of any bytes).
 */
export class Str32Array {
  private buf = Buffer.allocUnsafe(16 * 1024);
  /** Bytes used; the first 5 are the array header, written by take(). */
  private len = 5;
  private count = 0;

  get fields(): number {
    return this.count;
  }

  addString(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    this.reserve(5 + 3 * s.length);
    const at = this.len;
    const n = this.buf.write(s, at + 5, 'utf8');
    this.header(at, n);
  }

  addBytes(bytes: Uint8Array): void {
    this.reserve(5 + bytes.byteLength);
    const at = this.len;
    this.buf.set(bytes, at + 5);
    this.header(at, bytes.byteLength);
  }

  /** The array so far as a buffer of its own (the caller may hold it while more is built), and start again. */
  take(): Buffer {
    const b = this.buf;
    b[0] = 0xdd; // array 32
    b.writeUInt32BE(this.count, 1);
    const out = Buffer.allocUnsafe(this.len);
    b.copy(out, 0, 0, this.len);
    this.len = 5;
    this.count = 0;
    return out;
  }

  private header(at: number, n: number): void {
    const b = this.buf;
    b[at] = 0xdb; // str 32
    b.writeUInt32BE(n, at + 1);
    this.len = at + 5 + n;
    this.count++;
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.len + extra));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
}
