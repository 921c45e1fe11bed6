/** The smallest buffer handed out (smaller requests round up to it). */
const MIN_BYTES = 1024;

/**
 * Buffer storage for route tracks, handed back when a route is replaced and reused for the next.
 *
 * Why: V8 counts the bytes of every ArrayBuffer as external memory, and each time 64 MB more of it has
 * been allocated since the last full collection it starts marking the whole heap (reason "external
 * memory pressure" in --trace-gc). In a gateway holding 10,000 navigation sessions one marking takes
 * 100–300 ms of the main thread in small steps, and a closure that reroutes a thousand cars replaced
 * ~16 MB of tracks (plus ~10 MB of session-index postings): one marking every two or three such
 * closures, and whichever closure it overlapped took 2–3× as long (bench:reroute's slow runs). Tracks
 * made from reused buffers allocate nothing new.
 *
 * Sizes come in classes four to a doubling (at most ~19 % unused). A buffer handed back is detached
 * first (transferred to a new handle, no copy): every view of its old track then reads as empty,
 * so a stale reference can never see or overwrite the route that reuses the memory.
 */
export class TrackBuffers {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private pooled = 0;
  /** Buffers reused, and made new (for the bench and tests). */
  reused = 0;
  made = 0;

  /** `maxPooledBytes`: beyond this, buffers handed back are left to the collector. */
  constructor(private readonly maxPooledBytes = 32 * 1024 * 1024) {}

  /** Bytes held for reuse. */
  get pooledBytes(): number {
    return this.pooled;
  }

  /** A zeroed buffer of at least `bytes`. */
  take(bytes: number): ArrayBuffer {
    const size = sizeClass(bytes);
    const buf = this.free.get(size)?.pop();
    if (!buf) {
      this.made++;
      return new ArrayBuffer(size);
    }
    this.pooled -= size;
    this.reused++;
    new Uint8Array(buf).fill(0);
    return buf;
  }

  /** Hand back a buffer from `take`; every view of it reads as empty from now on. */
  give(buf: ArrayBuffer): void {
    const size = buf.byteLength;
    if (size === 0 || sizeClass(size) !== size) return; // already handed back, or not one of ours
    const fresh = structuredClone(buf, { transfer: [buf] });
    if (this.pooled + size > this.maxPooledBytes) return;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(fresh);
    this.pooled += size;
  }
}

/** The size class of a request: the next of 1, 1.25, 1.5, 1.75 times a power of two (≥ MIN_BYTES). */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}
