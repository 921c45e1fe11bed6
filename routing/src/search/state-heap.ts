/**
 * Binary min-heap of search states keyed by float64 priority, over typed arrays reused across
 * queries: keys in one array (what the sift loops compare), and beside them the state id and its node
 * (so a pop hands back the node and the search skips the edge → node lookup, a cache miss).
 * Measured faster than a 4-ary heap and than one interleaved entry array at the sizes searches reach.
 *
 * No decrease-key: a better label is pushed again and the stale entry skipped when popped (cheaper
 * in practice than maintaining a position per state).
 */
export class StateHeap {
  size = 0;
  /** After pop(): the node stored with the popped state. */
  node = 0;
  private keys: Float64Array;
  /** [2i] state id, [2i + 1] node. */
  private items: Int32Array;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.items = new Int32Array(2 * capacity);
    this.keys[0] = Infinity;
  }

  clear(): void {
    this.size = 0;
    this.keys[0] = Infinity;
  }

  /**
   * Smallest key, Infinity when empty: an empty heap keeps Infinity in slot 0, so this is one load.
   * (A `size > 0 ? … : Infinity` here made the optimising compiler box every key it returned: the
   * rarely taken branch leaves the global Infinity without type feedback, a tagged value.)
   */
  topKey(): number {
    return this.keys[0]!;
  }

  push(key: number, id: number, node: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk <= key) break;
      keys[i] = pk;
      items[2 * i] = items[2 * p]!;
      items[2 * i + 1] = items[2 * p + 1]!;
      i = p;
    }
    keys[i] = key;
    items[2 * i] = id;
    items[2 * i + 1] = node;
  }

  /** Removes the minimum and returns its id, its node in `node` (the heap must not be empty). */
  pop(): number {
    const keys = this.keys;
    const items = this.items;
    const top = items[0]!;
    this.node = items[1]!;
    const n = --this.size;
    if (n === 0) {
      keys[0] = Infinity;
      return top;
    }
    const key = keys[n]!;
    const id = items[2 * n]!;
    const node = items[2 * n + 1]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ck = keys[c]!;
      if (c + 1 < n) {
        const rk = keys[c + 1]!;
        if (rk < ck) {
          ck = rk;
          c++;
        }
      }
      if (ck >= key) break;
      keys[i] = ck;
      items[2 * i] = items[2 * c]!;
      items[2 * i + 1] = items[2 * c + 1]!;
      i = c;
    }
    keys[i] = key;
    items[2 * i] = id;
    items[2 * i + 1] = node;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const items = new Int32Array(this.items.length * 2);
    items.set(this.items);
    this.keys = keys;
    this.items = items;
  }
}
