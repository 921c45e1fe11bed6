import { CellHeap } from './cell-heap.js';
import { consider } from './consider.js';
import { GEOHASH_BITS, geohashKey, pow2 } from './geohash-key.js';
import type { NearbyQuery, NearbyResults, SpatialIndex } from './nearby-query.js';
import type { PointStore } from './point-store.js';
import { minDistanceToRect } from './rect-distance.js';
import { SortedKeys } from './sorted-keys.js';
import { TopK } from './top-k.js';

/** Cells with this few points are scanned rather than split further. */
const LEAF_POINTS = 16;

/**
 * Geohash index searched best-first: cells come off a heap in order of their exact distance lower
 * bound (minDistanceToRect of the cell's box), are split one geohash bit at a time while they hold
 * many points, and the search stops as soon as the next cell is farther than the radius or than the
 * k-th best result. The precision therefore follows the data and the query instead of being chosen
 * from the radius, and there are no neighbour rings: the box bound stays exact across the
 * antimeridian and at the poles, where a geohash neighbour ring misses most of the circle.
 * A top-50 at 10 km costs about what a top-50 at 500 m does.
 */
export class GeohashIndex implements SpatialIndex {
  readonly name = 'geohash' as const;
  readonly keys: SortedKeys;
  private readonly heap = new CellHeap();
  private readonly top = new TopK(64);

  constructor(private readonly store: PointStore) {
    this.keys = new SortedKeys(store);
  }

  insert(slot: number, lat: number, lng: number, bulk = false): void {
    this.keys.insert(slot, geohashKey(lat, lng), bulk);
  }

  removed(slot: number): void {
    this.keys.removed(slot);
  }

  flush(): void {
    this.keys.merge();
  }

  searchInto(q: NearbyQuery, out: NearbyResults): void {
    const { store, keys, heap, top } = this;
    top.reset(q.limit);
    let examined = 0;
    // Recent writes not merged yet: few, scanned directly.
    const ds = keys.deltaSlots;
    for (let i = 0; i < ds.length; i++) examined += consider(store, q, ds[i]!, top);

    heap.clear();
    heap.push(0, 0, 0, 0, keys.n, -90, 90, -180, 180);
    const kslots = keys.slots;
    while (heap.size > 0) {
      const c = heap.pop();
      const prio = heap.prio[c]!;
      if (prio > q.radius || (top.full && prio > top.worst)) break;
      const lo = heap.lo[c]!;
      const hi = heap.hi[c]!;
      const depth = heap.depth[c]!;
      if (hi - lo <= LEAF_POINTS || depth === GEOHASH_BITS) {
        for (let i = lo; i < hi; i++) examined += consider(store, q, kslots[i]!, top);
        continue;
      }
      const base = heap.base[c]!;
      const half = pow2(GEOHASH_BITS - depth - 1);
      const mid = keys.lowerBound(base + half, lo, hi);
      const s = heap.south[c]!;
      const n = heap.north[c]!;
      const w = heap.west[c]!;
      const e = heap.east[c]!;
      // Even bits split longitude, odd bits latitude (longitude first, as geohash does).
      if ((depth & 1) === 0) {
        const m = (w + e) / 2;
        if (mid > lo) heap.push(minDistanceToRect(q.lat, q.lng, s, n, w, m), base, depth + 1, lo, mid, s, n, w, m);
        if (hi > mid) heap.push(minDistanceToRect(q.lat, q.lng, s, n, m, e), base + half, depth + 1, mid, hi, s, n, m, e);
      } else {
        const m = (s + n) / 2;
        if (mid > lo) heap.push(minDistanceToRect(q.lat, q.lng, s, m, w, e), base, depth + 1, lo, mid, s, m, w, e);
        if (hi > mid) heap.push(minDistanceToRect(q.lat, q.lng, m, n, w, e), base + half, depth + 1, mid, hi, m, n, w, e);
      }
    }
    out.ensure(q.limit);
    out.count = top.drainInto(out.dist, out.slot);
    out.examined = examined;
  }
}
