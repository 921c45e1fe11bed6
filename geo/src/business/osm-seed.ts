import type { OsmPoi } from '../osm/osm-extract.js';
import { BusinessInput } from './business.js';
import type { BusinessStore } from './business-store.js';
import { parseOsmOpeningHours } from './opening-hours.js';

export interface SeedReport {
  imported: number;
  skipped: number;
}

/** Businesses imported from OSM keep the element's id, so a re-import updates instead of duplicating. */
export const osmBusinessId = (poi: OsmPoi): string => `osm-${poi.osmId}`;

/** An OSM POI as a business, or null when it would not validate (then it is skipped and counted). */
export function poiToBusiness(poi: OsmPoi, tz: string): BusinessInput | null {
  const t = poi.tags;
  const category = poi.category.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  const input: Record<string, unknown> = { name: poi.name.slice(0, 200), lat: poi.lat, lng: poi.lng, category };
  const address: Record<string, string> = {};
  if (t['addr:street']) address.street = t['addr:street'];
  if (t['addr:housenumber']) address.housenumber = t['addr:housenumber'];
  if (t['addr:postcode']) address.postcode = t['addr:postcode'];
  if (t['addr:city']) address.city = t['addr:city'];
  if (t['addr:country'] && /^[A-Z]{2}$/.test(t['addr:country'])) address.country = t['addr:country'];
  if (Object.keys(address).length > 0) input.address = address;
  if (t.opening_hours) {
    const hours = parseOsmOpeningHours(t.opening_hours, tz);
    if (hours) input.hours = hours;
  }
  const phone = t.phone ?? t['contact:phone'];
  if (phone && phone.length <= 40) input.phone = phone;
  const website = t.website ?? t['contact:website'];
  if (website && /^https?:\/\//.test(website)) input.website = website;
  let r = BusinessInput.safeParse(input);
  if (!r.success && input.website !== undefined) {
    delete input.website;
    r = BusinessInput.safeParse(input);
  }
  return r.success ? r.data : null;
}

/**
 * Write every named POI as a business. `onProgress` is called after each write (the CLI draws a
 * progress bar with it); writes run a few at a time to use the engine's pipelining.
 */
export async function seedBusinesses(
  store: BusinessStore,
  pois: readonly OsmPoi[],
  tz: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SeedReport> {
  let imported = 0;
  let skipped = 0;
  let done = 0;
  const queue = [...pois];
  const worker = async (): Promise<void> => {
    for (let poi = queue.shift(); poi; poi = queue.shift()) {
      const input = poiToBusiness(poi, tz);
      if (input) {
        await store.put(osmBusinessId(poi), input);
        imported++;
      } else skipped++;
      onProgress?.(++done, pois.length);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return { imported, skipped };
}
