import { GeohashIndex } from './geohash-index.js';
import { NearbyResults, type NearbyQuery, type SpatialIndex } from './nearby-query.js';
import { PointStore } from './point-store.js';
import { S2Index } from './s2-index.js';

export type IndexKind = 'geohash' | 's2';

export interface NearbyParams {
  lat: number;
  lng: number;
  radius: number;
  limit: number;
  category?: string;
  accept?: (id: string) => boolean;
  after?: { d: number; id: string };
}

export interface NearbyHit {
  id: string;
  d: number;
}

/**
 * Businesses' positions and categories, searchable by distance through the configured index.
 * Writes are O(1) (see SortedKeys); `bulkLoad` adds many and sorts once.
 */
export class ProximityIndex {
  readonly store = new PointStore();
  readonly index: SpatialIndex;
  private readonly results = new NearbyResults(64);

  constructor(kind: IndexKind) {
    this.index = kind === 's2' ? new S2Index(this.store) : new GeohashIndex(this.store);
  }

  get size(): number {
    return this.store.size;
  }

  upsert(id: string, lat: number, lng: number, category: string): void {
    this.remove(id);
    const slot = this.store.add(id, lat, lng, category);
    this.index.insert(slot, lat, lng);
  }

  remove(id: string): boolean {
    const slot = this.store.remove(id);
    if (slot === undefined) return false;
    this.index.removed(slot);
    return true;
  }

  bulkLoad(items: Iterable<{ id: string; lat: number; lng: number; category: string }>): void {
    for (const it of items) {
      this.remove(it.id);
      const slot = this.store.add(it.id, it.lat, it.lng, it.category);
      this.index.insert(slot, it.lat, it.lng, true);
    }
    this.index.flush();
  }

  /** Nearest first; ties broken by slot (stable within a process). Exact within the radius. */
  nearby(p: NearbyParams): { hits: NearbyHit[]; examined: number } {
    const store = this.store;
    const category = p.category === undefined ? 0 : store.categoryCode(p.category);
    if (p.category !== undefined && category === 0) return { hits: [], examined: 0 };
    const q: NearbyQuery = { lat: p.lat, lng: p.lng, radius: p.radius, limit: p.limit, category };
    if (p.accept) {
      const accept = p.accept;
      q.accept = (slot) => accept(store.ids[slot]!);
    }
    if (p.after) {
      const slot = store.slot(p.after.id);
      // A cursor naming a business deleted since: continue after its distance.
      q.after = { d: p.after.d, slot: slot ?? -1 };
    }
    const out = this.results;
    this.index.searchInto(q, out);
    const hits: NearbyHit[] = [];
    for (let i = 0; i < out.count; i++) hits.push({ id: store.ids[out.slot[i]!]!, d: out.dist[i]! });
    return { hits, examined: out.examined };
  }

  /** Slot-order key of an id, for cursors (ties at equal distance). */
  slotOf(id: string): number | undefined {
    return this.store.slot(id);
  }
}
