/**
 * Coordinates of every node of the extract, kept while the stream runs because ways (which come
 * after the nodes) refer back to them by id.
 *
 * Three parallel typed arrays (id, lat, lng: 24 bytes a node) and no Map: a PBF lists nodes sorted by
 * id ("Sort.Type_then_ID"), so a lookup is a binary search over the ids. Input that is not sorted
 * (hand-made fixtures) is sorted once by seal(). Every node is stored, not only those of roads, so
 * the import is one pass; that is right for city / region extracts (Monaco: 180k nodes, 4 MB). A
 * country would want a first pass collecting the ids the kept ways need.
 */
export class NodeCoords {
  private ids: Float64Array = new Float64Array(1 << 12);
  private lats: Float64Array = new Float64Array(1 << 12);
  private lngs: Float64Array = new Float64Array(1 << 12);
  private n = 0;
  private sorted = true;

  get size(): number {
    return this.n;
  }

  add(id: number, lat: number, lng: number): void {
    if (this.n === this.ids.length) this.grow();
    if (this.n > 0 && id < this.ids[this.n - 1]!) this.sorted = false;
    this.ids[this.n] = id;
    this.lats[this.n] = lat;
    this.lngs[this.n] = lng;
    this.n++;
  }

  /** Call once after the last add and before find(): sorts by id if the input was not sorted. */
  seal(): void {
    if (this.sorted) return;
    const ids = this.ids;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    order.sort((a, b) => ids[a]! - ids[b]!);
    this.ids = permute(ids, order);
    this.lats = permute(this.lats, order);
    this.lngs = permute(this.lngs, order);
    this.sorted = true;
  }

  /** Slot of the node with this id, or -1 when the extract does not hold it. */
  find(id: number): number {
    if (!this.sorted) throw new Error('NodeCoords.find before seal()');
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  id(slot: number): number {
    return this.ids[slot]!;
  }

  lat(slot: number): number {
    return this.lats[slot]!;
  }

  lng(slot: number): number {
    return this.lngs[slot]!;
  }

  private grow(): void {
    const bigger = (a: Float64Array): Float64Array => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.ids = bigger(this.ids);
    this.lats = bigger(this.lats);
    this.lngs = bigger(this.lngs);
  }
}

function permute(a: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < order.length; i++) out[i] = a[order[i]!]!;
  return out;
}
