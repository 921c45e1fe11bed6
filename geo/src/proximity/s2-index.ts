import { s2 } from 's2js';
import { EARTH_RADIUS_M } from '../distance.js';
import { consider } from './consider.js';
import type { NearbyQuery, NearbyResults, SpatialIndex } from './nearby-query.js';
import type { PointStore } from './point-store.js';
import { SortedKeys } from './sorted-keys.js';
import { TopK } from './top-k.js';

/**
 * Keys are S2 cell ids cut to level 24 (~0.6 m): face (3 bits) + 48 bits of Hilbert position, 51 bits,
 * exact in a float64. Any S2 cell of level ≤ 24 is one contiguous key range.
 */
const SHIFT = 13n;

export function s2Key(lat: number, lng: number): number {
  return Number(s2.cellid.fromLatLng(s2.LatLng.fromDegrees(lat, lng)) >> SHIFT);
}

/**
 * S2 index searched through a covering: the search circle becomes a spherical cap, the region
 * coverer turns it into at most `maxCells` cells (exact containment: the covering contains the cap,
 * on the poles and across the antimeridian alike), each cell is a key range, and every point in those
 * ranges gets the exact distance check. It examines every point of the covering, so its cost grows
 * with the area of the circle, whatever the limit.
 */
export class S2Index implements SpatialIndex {
  readonly name = 's2' as const;
  readonly keys: SortedKeys;
  private readonly coverer: s2.RegionCoverer;
  private readonly top = new TopK(64);

  constructor(
    private readonly store: PointStore,
    maxCells = 12,
  ) {
    this.keys = new SortedKeys(store);
    this.coverer = new s2.RegionCoverer({ maxLevel: 24, maxCells });
  }

  insert(slot: number, lat: number, lng: number, bulk = false): void {
    this.keys.insert(slot, s2Key(lat, lng), bulk);
  }

  removed(slot: number): void {
    this.keys.removed(slot);
  }

  flush(): void {
    this.keys.merge();
  }

  /** Covering cell ranges of the query circle, as [minKey, maxKey] pairs (inclusive). */
  coverRanges(lat: number, lng: number, radius: number): number[] {
    const center = s2.Point.fromLatLng(s2.LatLng.fromDegrees(lat, lng));
    // A hair wider than the radius: the cap's chord-angle rounding must never shave a point off.
    const angle = Math.min(Math.PI, (radius / EARTH_RADIUS_M) * (1 + 1e-9) + 1e-12);
    const cap = s2.Cap.fromCenterAngle(center, angle);
    const ranges: number[] = [];
    for (const id of this.coverer.covering(cap)) {
      ranges.push(Number(s2.cellid.rangeMin(id) >> SHIFT), Number(s2.cellid.rangeMax(id) >> SHIFT));
    }
    return ranges;
  }

  searchInto(q: NearbyQuery, out: NearbyResults): void {
    const { store, keys, top } = this;
    top.reset(q.limit);
    let examined = 0;
    const ds = keys.deltaSlots;
    for (let i = 0; i < ds.length; i++) examined += consider(store, q, ds[i]!, top);
    const ranges = this.coverRanges(q.lat, q.lng, q.radius);
    const kslots = keys.slots;
    for (let r = 0; r < ranges.length; r += 2) {
      const lo = keys.lowerBound(ranges[r]!);
      const hi = keys.lowerBound(ranges[r + 1]! + 1, lo);
      for (let i = lo; i < hi; i++) examined += consider(store, q, kslots[i]!, top);
    }
    out.ensure(q.limit);
    out.count = top.drainInto(out.dist, out.slot);
    out.examined = examined;
  }
}
