import { createHash } from 'node:crypto';
import type { PoiCollection, RoadCollection } from './tile-features.js';

/**
 * Bump when the tile schema changes (layers, properties, class mapping, min zooms) so every ETag
 * changes with it, even for tiles whose bytes happen to come out the same.
 */
export const TILE_SCHEMA_VERSION = 1;

/**
 * A short version string for the tile data: schema version plus a fingerprint of the features that
 * go into tiles. Part of every ETag, so new data means new ETags (and no client or CDN keeps
 * revalidating an old tile into a 304). Hashed feature by feature: no giant string for a big extract.
 */
export function dataVersion(roads: RoadCollection, pois: PoiCollection): string {
  const h = createHash('sha1');
  for (const f of roads.features) h.update(JSON.stringify(f.properties)).update(JSON.stringify(f.geometry.coordinates));
  h.update('\u0000pois\u0000');
  for (const f of pois.features) h.update(JSON.stringify(f.properties)).update(JSON.stringify(f.geometry.coordinates));
  return `s${TILE_SCHEMA_VERSION}-${h.digest('base64url').slice(0, 10)}`;
}
