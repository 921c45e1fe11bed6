/**
 * A bounded least-recently-used cache on a Map (which keeps insertion order: a hit re-inserts the
 * key at the end, eviction drops the first key). Hit and miss counts are plain numbers so a metrics
 * scrape can read them without the request path paying for a metrics library.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get size(): number {
    return this.map.size;
  }

  /** The cached value, or undefined; counts a hit or a miss. A cached value may itself be null. */
  get(key: K): V | undefined {
    if (!this.map.has(key)) {
      this.misses++;
      return undefined;
    }
    const v = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, v);
    this.hits++;
    return v;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size <= this.capacity) return;
    const oldest = this.map.keys().next();
    if (!oldest.done) {
      this.map.delete(oldest.value);
      this.evictions++;
    }
  }

  clear(): void {
    this.map.clear();
  }
}
