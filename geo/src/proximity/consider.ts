import { haversineMeters } from '../distance.js';
import type { NearbyQuery } from './nearby-query.js';
import type { PointStore } from './point-store.js';
import type { TopK } from './top-k.js';

/**
 * The one exactness check every index ends in: a live point, of the wanted category, within the
 * radius by great-circle distance, after the paging cursor, accepted by the extra predicate.
 * Returns 1 when a distance was computed (for the examined count).
 */
export function consider(store: PointStore, q: NearbyQuery, slot: number, top: TopK): number {
  if (store.alive[slot] !== 1) return 0;
  if (q.category !== 0 && store.category[slot] !== q.category) return 0;
  const d = haversineMeters(q.lat, q.lng, store.lat[slot]!, store.lng[slot]!);
  if (d > q.radius) return 1;
  const after = q.after;
  if (after !== undefined && (d < after.d || (d === after.d && slot <= after.slot))) return 1;
  if (top.full && (d > top.worst)) return 1;
  if (q.accept !== undefined && !q.accept(slot)) return 1;
  top.offer(d, slot);
  return 1;
}
