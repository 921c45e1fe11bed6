/**
 * The hot-path encoder for `friend_loc`, the message every fan-out delivery sends. One location update
 * is encoded once into a preallocated buffer; only the distance differs per recipient, so it is a
 * fixed-width float64 patched in place before each send (uWS copies the bytes on send, so reusing
 * the buffer is safe). The bytes are plain msgpack: any decoder reads them as a map.
 */
const MAX_USER_BYTES = 255;

export class FriendLocFrame {
  private readonly buf = new Uint8Array(64 + MAX_USER_BYTES + 64);
  private readonly view = new DataView(this.buf.buffer);
  private len = 0;
  private dOffset = 0;
  /** The frame's bytes as a view per length, made once: one view per recipient was an allocation each. */
  private readonly views: (Uint8Array | undefined)[] = [];

  /** Encode the fields shared by every recipient. `acc` < 0 means absent. */
  encode(user: string, lat: number, lng: number, acc: number, ts: number): void {
    const b = this.buf;
    let p = 0;
    b[p++] = 0x80 | (acc >= 0 ? 7 : 6); // fixmap
    p = this.key(p, 't');
    p = this.str(p, 'friend_loc');
    p = this.key(p, 'user');
    p = this.str(p, user);
    p = this.key(p, 'lat');
    p = this.f64(p, lat);
    p = this.key(p, 'lng');
    p = this.f64(p, lng);
    if (acc >= 0) {
      p = this.key(p, 'acc');
      p = this.f64(p, acc);
    }
    p = this.key(p, 'ts');
    p = this.f64(p, ts);
    p = this.key(p, 'd');
    this.dOffset = p + 1;
    p = this.f64(p, 0);
    this.len = p;
  }

  /**
   * Patch the distance (metres) for the next recipient and return the frame bytes: a view of the
   * reused buffer, the same object for every frame of this length, so use it before the next call.
   */
  withDistance(d: number): Uint8Array {
    this.view.setFloat64(this.dOffset, d);
    const len = this.len;
    return (this.views[len] ??= this.buf.subarray(0, len));
  }

  private key(p: number, k: string): number {
    return this.str(p, k);
  }

  private str(p: number, s: string): number {
    const b = this.buf;
    // User ids are ASCII (USER_ID_PATTERN), so one char is one byte.
    const n = s.length;
    if (n > MAX_USER_BYTES) throw new RangeError('string too long for FriendLocFrame');
    if (n < 32) b[p++] = 0xa0 | n;
    else {
      b[p++] = 0xd9;
      b[p++] = n;
    }
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    return p;
  }

  private f64(p: number, v: number): number {
    this.buf[p] = 0xcb;
    this.view.setFloat64(p + 1, v);
    return p + 9;
  }
}
