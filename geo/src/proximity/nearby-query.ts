/** One nearby search, as the indexes see it. */
export interface NearbyQuery {
  lat: number;
  lng: number;
  /** Metres. */
  radius: number;
  /** Results wanted (the page size). */
  limit: number;
  /** Category code from PointStore.categoryCode (0 = any). */
  category: number;
  /**
   * Extra per-slot predicate (open_now). Called only for points inside the radius, so its cost is
   * bounded by the results, not the candidates.
   */
  accept?: (slot: number) => boolean;
  /** Paging: only points strictly after (distance, slot) in (distance, slot) order. */
  after?: { d: number; slot: number };
}

/** Results nearest first, in preallocated arrays the caller owns (`*Into` style). */
export class NearbyResults {
  dist: Float64Array;
  slot: Int32Array;
  count = 0;
  /** Points whose distance was computed (for measurements). */
  examined = 0;

  constructor(capacity = 64) {
    this.dist = new Float64Array(capacity);
    this.slot = new Int32Array(capacity);
  }

  ensure(capacity: number): void {
    if (capacity > this.dist.length) {
      this.dist = new Float64Array(capacity);
      this.slot = new Int32Array(capacity);
    }
  }
}

export interface SpatialIndex {
  readonly name: 'geohash' | 's2';
  /** `bulk`: part of a bulk load that ends with flush(). */
  insert(slot: number, lat: number, lng: number, bulk?: boolean): void;
  removed(slot: number): void;
  /** Rebuild after a bulk load. */
  flush(): void;
  searchInto(q: NearbyQuery, out: NearbyResults): void;
}
