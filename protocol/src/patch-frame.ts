import { RESET_BUFFER_MODE, type Packr } from 'msgpackr';
import type { NavManeuver, NavPatch } from './navigation.js';

/** "maneuvers" as a msgpack fixstr. */
const MANEUVERS_KEY = new Uint8Array([0xa9, ...new TextEncoder().encode('maneuvers')]);

/**
 * msgpack frames of nav_patch messages whose steps are encoded once per step object. A closure sends
 * hundreds of cars onto a few detours, and their patches carry the same detour steps (the routing
 * engine shares the step objects between the routes that take one detour): packing those objects again
 * for every car was a third of the gateway's work per rerouted car. The rest of the message is packed
 * by msgpackr as any other, and the steps appended as the map's last entry; the frame decodes to
 * exactly what packing the whole message would give (plain msgpack: maps, arrays, strings, numbers).
 *
 * A step object must not change once sent (the routing engine never changes one a route holds).
 */
export class PatchPacker {
  private readonly steps = new WeakMap<NavManeuver, Uint8Array>();
  private readonly parts: Uint8Array[] = [];
  /** The frame of packTransient, reused (grown as needed). */
  private scratch = new Uint8Array(16 * 1024);

  constructor(private readonly packr: Packr) {}

  /** The frame, in a buffer of its own. */
  pack(patch: NavPatch): Uint8Array {
    return this.packInto(patch, false);
  }

  /**
   * The frame in a buffer the next call of either method overwrites (as is the Packr's own output
   * buffer): for a socket write that copies it at once. A closure answers a thousand cars, and a new
   * buffer per frame was ~3 MB of ArrayBuffers per closure, which bring V8's next full collection
   * nearer (see TrackBuffers in @locus/routing).
   */
  packTransient(patch: NavPatch): Uint8Array {
    return this.packInto(patch, true);
  }

  private packInto(patch: NavPatch, transient: boolean): Uint8Array {
    const { maneuvers, ...rest } = patch;
    const mode = transient ? RESET_BUFFER_MODE : 0;
    const n = maneuvers.length;
    // The steps first: packing a step not seen before uses the Packr, which a transient head would
    // share its buffer with.
    const parts = this.parts;
    parts.length = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const m = maneuvers[i]!;
      const bytes = typeof m === 'number' ? null : this.stepBytes(m);
      if (bytes) {
        parts.push(bytes);
        size += bytes.length;
      } else {
        const k = m as number;
        if (!Number.isInteger(k) || k < 0 || k > 0xffff_ffff) return this.packr.pack(patch, mode); // not an index: packed as it is
        size += k < 0x80 ? 1 : k < 0x100 ? 2 : k < 0x10000 ? 3 : 5;
      }
    }
    const head = this.packr.pack(rest, mode);
    // The map header of the rest, then its entries; the steps become one more entry.
    let count: number;
    let headerLen: number;
    const b0 = head[0]!;
    if ((b0 & 0xf0) === 0x80) {
      count = b0 & 0x0f;
      headerLen = 1;
    } else if (b0 === 0xde) {
      count = (head[1]! << 8) | head[2]!;
      headerLen = 3;
    } else return this.packr.pack(patch, mode); // not a map of < 65536 entries: nothing to append to
    const entries = count + 1;
    const mapHeaderLen = entries < 16 ? 1 : 3;
    const arrayHeaderLen = n < 16 ? 1 : n < 0x10000 ? 3 : 5;
    const length = mapHeaderLen + head.length - headerLen + MANEUVERS_KEY.length + arrayHeaderLen + size;
    let out: Uint8Array;
    if (!transient) out = new Uint8Array(length);
    else {
      if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, 2 * this.scratch.length));
      out = this.scratch.subarray(0, length);
    }
    let o = 0;
    if (entries < 16) out[o++] = 0x80 | entries;
    else {
      out[o++] = 0xde;
      out[o++] = entries >> 8;
      out[o++] = entries & 0xff;
    }
    out.set(head.subarray(headerLen), o);
    o += head.length - headerLen;
    out.set(MANEUVERS_KEY, o);
    o += MANEUVERS_KEY.length;
    if (n < 16) out[o++] = 0x90 | n;
    else if (n < 0x10000) {
      out[o++] = 0xdc;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      out[o++] = 0xdd;
      o = writeU32(out, o, n);
    }
    let p = 0;
    for (let i = 0; i < n; i++) {
      const m = maneuvers[i]!;
      if (typeof m !== 'number') {
        const bytes = parts[p++]!;
        out.set(bytes, o);
        o += bytes.length;
      } else if (m < 0x80) out[o++] = m;
      else if (m < 0x100) {
        out[o++] = 0xcc;
        out[o++] = m;
      } else if (m < 0x10000) {
        out[o++] = 0xcd;
        out[o++] = m >> 8;
        out[o++] = m & 0xff;
      } else {
        out[o++] = 0xce;
        o = writeU32(out, o, m);
      }
    }
    parts.length = 0;
    return out;
  }

  private stepBytes(m: NavManeuver): Uint8Array {
    let bytes = this.steps.get(m);
    if (!bytes) {
      // Copied out of msgpackr's shared output buffer: kept as long as the step object lives.
      bytes = this.packr.pack(m).slice();
      this.steps.set(m, bytes);
    }
    return bytes;
  }
}

function writeU32(out: Uint8Array, o: number, v: number): number {
  out[o] = v >>> 24;
  out[o + 1] = (v >>> 16) & 0xff;
  out[o + 2] = (v >>> 8) & 0xff;
  out[o + 3] = v & 0xff;
  return o + 4;
}
