/**
 * Business records by geohash cell, least recently used evicted first. Keyed by cell, never by a
 * query's raw coordinates: every query touching a cell shares its entry, and a write to a business
 * invalidates exactly the cell(s) it was and is in.
 */
export class CellCache<V> {
  private readonly map = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxCells: number) {}

  get(cell: string): V | undefined {
    const v = this.map.get(cell);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    this.map.delete(cell);
    this.map.set(cell, v);
    return v;
  }

  set(cell: string, v: V): void {
    this.map.delete(cell);
    this.map.set(cell, v);
    while (this.map.size > this.maxCells) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  invalidate(cell: string): void {
    this.map.delete(cell);
  }

  get size(): number {
    return this.map.size;
  }
}
