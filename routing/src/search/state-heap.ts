/**
 * 4-ary min-heap of search states (edge ids) keyed by float64 priority, over parallel typed arrays
 * that grow by doubling and are reused across queries. No decrease-key: a better label is pushed again
 * and the stale entry skipped when popped (cheaper in practice than maintaining a position per state).
 * Four children per node halve the depth of a binary heap and keep siblings in one cache line: pops
 * dominate a search, and they are bound by cache misses and mispredicted comparisons per level.
 */
export class StateHeap {
  size = 0;
  private keys: Float64Array;
  private ids: Int32Array;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** Smallest key (Infinity when empty). */
  topKey(): number {
    return this.size > 0 ? this.keys[0]! : Infinity;
  }

  push(key: number, id: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const ids = this.ids;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pk = keys[p]!;
      if (pk <= key) break;
      keys[i] = pk;
      ids[i] = ids[p]!;
      i = p;
    }
    keys[i] = key;
    ids[i] = id;
  }

  /** Removes the minimum and returns its id (the heap must not be empty). */
  pop(): number {
    const keys = this.keys;
    const ids = this.ids;
    const top = ids[0]!;
    const n = --this.size;
    if (n > 0) {
      const key = keys[n]!;
      const id = ids[n]!;
      let i = 0;
      for (;;) {
        const first = 4 * i + 1;
        if (first >= n) break;
        let c = first;
        let ck = keys[first]!;
        const last = first + 4 < n ? first + 4 : n;
        for (let k = first + 1; k < last; k++) {
          const kk = keys[k]!;
          if (kk < ck) {
            ck = kk;
            c = k;
          }
        }
        if (ck >= key) break;
        keys[i] = ck;
        ids[i] = ids[c]!;
        i = c;
      }
      keys[i] = key;
      ids[i] = id;
    }
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}
