import type { PointStore } from './point-store.js';
import { radixSortPairs } from './radix-sort.js';

/**
 * Slots ordered by a 52-bit cell key (geohash or S2), so any cell is a contiguous range found by
 * binary search. Writes go to a small unsorted delta that queries scan directly; when it grows past
 * DELTA_MAX it is sorted and merged into the main arrays in one linear pass (an LSM in miniature:
 * a write costs O(1), a merge O(n) every DELTA_MAX writes, nothing ever blocks for a full sort).
 * Removed points stay in the arrays, skipped by `store.alive`, until the next merge drops them and
 * frees their slots for reuse.
 */
export const DELTA_MAX = 2048;

export class SortedKeys {
  keys = new Float64Array(0);
  slots = new Int32Array(0);
  n = 0;
  readonly deltaKeys: number[] = [];
  readonly deltaSlots: number[] = [];
  private dead: number[] = [];

  constructor(private readonly store: PointStore) {}

  /** `bulk`: the caller merges once at the end (a bulk load must not merge every DELTA_MAX points). */
  insert(slot: number, key: number, bulk = false): void {
    this.deltaKeys.push(key);
    this.deltaSlots.push(slot);
    if (!bulk && this.deltaKeys.length > DELTA_MAX) this.merge();
  }

  /** The point's slot is already marked dead in the store; it is freed at the next merge. */
  removed(slot: number): void {
    this.dead.push(slot);
    if (this.dead.length > DELTA_MAX) this.merge();
  }

  /** Bulk load: everything in the delta sorted at once (radix sort) and merged. */
  merge(): void {
    const alive = this.store.alive;
    const m = this.deltaKeys.length;
    const dk = new Float64Array(m);
    const ds = new Int32Array(m);
    let dn = 0;
    for (let i = 0; i < m; i++) {
      const s = this.deltaSlots[i]!;
      if (alive[s] !== 1) continue;
      dk[dn] = this.deltaKeys[i]!;
      ds[dn++] = s;
    }
    radixSortPairs(dk, ds, dn);
    const keys = new Float64Array(this.n + dn);
    const slots = new Int32Array(this.n + dn);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.n || j < dn) {
      if (i < this.n && alive[this.slots[i]!] !== 1) {
        i++;
        continue;
      }
      if (j >= dn || (i < this.n && this.keys[i]! <= dk[j]!)) {
        keys[k] = this.keys[i]!;
        slots[k++] = this.slots[i++]!;
      } else {
        keys[k] = dk[j]!;
        slots[k++] = ds[j++]!;
      }
    }
    this.keys = keys;
    this.slots = slots;
    this.n = k;
    this.deltaKeys.length = 0;
    this.deltaSlots.length = 0;
    for (const s of this.dead) this.store.release(s);
    this.dead = [];
  }

  /** First index in [lo, hi) whose key is ≥ key. */
  lowerBound(key: number, lo = 0, hi = this.n): number {
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
