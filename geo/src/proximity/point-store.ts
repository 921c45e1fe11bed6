/**
 * The points the proximity indexes search: one slot per business, columns in typed arrays (no
 * object per point), slots reused after deletes. `filter` is a small integer per slot (the category
 * code) checked during the scan without touching business records.
 */
export class PointStore {
  lat: Float64Array = new Float64Array(1024);
  lng: Float64Array = new Float64Array(1024);
  category: Uint16Array = new Uint16Array(1024);
  alive: Uint8Array = new Uint8Array(1024);
  readonly ids: (string | undefined)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  private readonly categories = new Map<string, number>();
  private readonly categoryNames: string[] = [''];
  count = 0;

  get size(): number {
    return this.slotOf.size;
  }

  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  /** Category code for filtering; 0 = unknown category (matches nothing). */
  categoryCode(name: string): number {
    return this.categories.get(name) ?? 0;
  }

  add(id: string, lat: number, lng: number, category: string): number {
    const s = this.free.pop() ?? this.count++;
    if (s >= this.lat.length) this.grow(s + 1);
    this.lat[s] = lat;
    this.lng[s] = lng;
    this.category[s] = this.intern(category);
    this.alive[s] = 1;
    this.ids[s] = id;
    this.slotOf.set(id, s);
    return s;
  }

  remove(id: string): number | undefined {
    const s = this.slotOf.get(id);
    if (s === undefined) return undefined;
    this.slotOf.delete(id);
    this.alive[s] = 0;
    this.ids[s] = undefined;
    return s;
  }

  /** Return a removed slot for reuse, once no index references it any more. */
  release(slot: number): void {
    this.free.push(slot);
  }

  private intern(name: string): number {
    let c = this.categories.get(name);
    if (c === undefined) {
      c = this.categoryNames.length;
      if (c > 0xffff) throw new RangeError('more than 65535 categories');
      this.categories.set(name, c);
      this.categoryNames.push(name);
    }
    return c;
  }

  private grow(min: number): void {
    let n = this.lat.length;
    while (n < min) n *= 2;
    const f = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.lat = f(this.lat);
    this.lng = f(this.lng);
    const c = new Uint16Array(n);
    c.set(this.category);
    this.category = c;
    const a = new Uint8Array(n);
    a.set(this.alive);
    this.alive = a;
  }
}
