/**
 * Min-heap of index cells keyed by their distance lower bound, over parallel typed arrays reused
 * across queries (no object per cell). A cell is a key range [base, base + 2^(52-depth)) with its
 * slice [lo, hi) of the sorted arrays and its lat/lng box.
 */
export class CellHeap {
  size = 0;
  prio = new Float64Array(256);
  base = new Float64Array(256);
  depth = new Uint8Array(256);
  lo = new Int32Array(256);
  hi = new Int32Array(256);
  south = new Float64Array(256);
  north = new Float64Array(256);
  west = new Float64Array(256);
  east = new Float64Array(256);

  clear(): void {
    this.size = 0;
  }

  push(prio: number, base: number, depth: number, lo: number, hi: number, s: number, n: number, w: number, e: number): void {
    if (this.size === this.prio.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.prio[p]! <= prio) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, prio, base, depth, lo, hi, s, n, w, e);
  }

  /** Moves the minimum to index `top` (the scratch slot past the heap) and removes it. */
  pop(): number {
    const last = --this.size;
    const scratch = this.size + 1 < this.prio.length ? this.size + 1 : this.growAndScratch();
    this.move(0, scratch);
    if (last > 0) {
      const prio = this.prio[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.prio[r]! < this.prio[l]! ? r : l;
        if (this.prio[c]! >= prio) break;
        this.move(c, i);
        i = c;
      }
      this.move(last, i);
    }
    return scratch;
  }

  private growAndScratch(): number {
    this.grow();
    return this.size + 1;
  }

  private set(i: number, prio: number, base: number, depth: number, lo: number, hi: number, s: number, n: number, w: number, e: number): void {
    this.prio[i] = prio;
    this.base[i] = base;
    this.depth[i] = depth;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.south[i] = s;
    this.north[i] = n;
    this.west[i] = w;
    this.east[i] = e;
  }

  private move(from: number, to: number): void {
    this.prio[to] = this.prio[from]!;
    this.base[to] = this.base[from]!;
    this.depth[to] = this.depth[from]!;
    this.lo[to] = this.lo[from]!;
    this.hi[to] = this.hi[from]!;
    this.south[to] = this.south[from]!;
    this.north[to] = this.north[from]!;
    this.west[to] = this.west[from]!;
    this.east[to] = this.east[from]!;
  }

  private grow(): void {
    const n = this.prio.length * 2;
    const f = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.prio = f(this.prio, (k) => new Float64Array(k));
    this.base = f(this.base, (k) => new Float64Array(k));
    this.depth = f(this.depth, (k) => new Uint8Array(k));
    this.lo = f(this.lo, (k) => new Int32Array(k));
    this.hi = f(this.hi, (k) => new Int32Array(k));
    this.south = f(this.south, (k) => new Float64Array(k));
    this.north = f(this.north, (k) => new Float64Array(k));
    this.west = f(this.west, (k) => new Float64Array(k));
    this.east = f(this.east, (k) => new Float64Array(k));
  }
}
