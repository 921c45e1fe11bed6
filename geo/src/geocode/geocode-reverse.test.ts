import fc from 'fast-check';
import { LocusError } from '@locus/protocol';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { readOsmExtract, type OsmExtract } from '../osm/osm-extract.js';
import { buildGeocodeData } from './build.js';
import { GeocodeIndex } from './geocode-index.js';
import { LocalFrame } from './local-frame.js';
import { ADDRESS_RADIUS_M, STREET_RADIUS_M } from './reverse-search.js';
import type { GeocodeData } from './types.js';

const MONACO_PBF = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const STARS_N_BARS = { lat: 43.7329221, lng: 7.4257905 };

/** What reverse must answer, by scanning everything: the reference for the grid-backed lookup. */
function bruteForce(d: GeocodeData, lat: number, lng: number): { label: string; distance: number } | null {
  let best = -1;
  let bestD = Infinity;
  for (let id = 0; id < d.kind.length; id++) {
    if (d.kind[id] !== 0) continue;
    const m = haversineMeters(lat, lng, d.lat[id]!, d.lng[id]!);
    if (m < bestD) [best, bestD] = [id, m];
  }
  if (best >= 0 && bestD <= ADDRESS_RADIUS_M) return { label: d.records[best]!.label, distance: bestD };
  best = -1;
  bestD = Infinity;
  const f = new LocalFrame().reset(lat, lng);
  const c = d.lineCoords;
  for (let l = 0; l < d.lineEntry.length; l++) {
    for (let p = d.lineStart[l]!; p + 1 < d.lineStart[l + 1]!; p++) {
      const m = f.distanceToSegment(c[2 * p]!, c[2 * p + 1]!, c[2 * p + 2]!, c[2 * p + 3]!);
      if (m < bestD) [best, bestD] = [d.lineEntry[l]!, m];
    }
  }
  return best >= 0 && bestD <= STREET_RADIUS_M ? { label: d.records[best]!.label, distance: bestD } : null;
}

describe('GeocodeIndex.reverse (Monaco extract)', () => {
  let extract: OsmExtract;
  let data: GeocodeData;
  let index: GeocodeIndex;
  beforeAll(async () => {
    extract = await readOsmExtract(MONACO_PBF);
    data = buildGeocodeData(extract);
    index = GeocodeIndex.fromExtract(extract);
  });

  it('answers the address at a known address point', () => {
    expect(index.reverse(STARS_N_BARS.lat, STARS_N_BARS.lng)).toEqual({
      kind: 'address',
      label: 'Stars n Bars, 6 Quai Antoine 1er, 98000 Monaco',
      name: 'Stars n Bars',
      lat: STARS_N_BARS.lat,
      lng: STARS_N_BARS.lng,
      distance: 0,
      address: { housenumber: '6', street: 'Quai Antoine 1er', postcode: '98000', city: 'Monaco' },
    });
  });

  it('answers the nearest address within 100 m, with its distance', () => {
    // 0.0003° north ≈ 33 m.
    const r = index.reverse(STARS_N_BARS.lat + 0.0003, STARS_N_BARS.lng);
    expect(r).toMatchObject({ kind: 'address', address: { housenumber: '6', street: 'Quai Antoine 1er' } });
    expect(r!.distance).toBeCloseTo(haversineMeters(STARS_N_BARS.lat + 0.0003, STARS_N_BARS.lng, STARS_N_BARS.lat, STARS_N_BARS.lng), 1);
  });

  it('answers the street, with the nearest point on it, when no address is near', () => {
    const road = extract.roads.find((r) => r.name === 'Boulevard des Moulins')!;
    const lat = road.coords[0]! + 0.0002;
    const lng = road.coords[1]!;
    // Precondition: no address point within 100 m (else the answer would rightly be an address).
    expect(extract.addresses.every((a) => haversineMeters(lat, lng, a.lat, a.lng) > ADDRESS_RADIUS_M)).toBe(true);
    const r = index.reverse(lat, lng);
    expect(r).toMatchObject({ kind: 'street', label: 'Boulevard des Moulins' });
    expect(r!.address).toBeUndefined();
    expect(r!.distance).toBeLessThanOrEqual(haversineMeters(lat, lng, road.coords[0]!, road.coords[1]!) + 0.1);
    expect(haversineMeters(lat, lng, r!.lat, r!.lng)).toBeCloseTo(r!.distance, 0);
  });

  it('answers null in the sea, and far from the extract', () => {
    expect(index.reverse(43.7, 7.45)).toBeNull();
    expect(index.reverse(0, 0)).toBeNull();
    expect(index.reverse(-89.99, 179.99)).toBeNull();
  });

  it('agrees with a full scan at random points of the extract (property)', () => {
    const { south, west, north, east } = extract.bbox;
    fc.assert(
      fc.property(fc.double({ min: south, max: north, noNaN: true }), fc.double({ min: west, max: east, noNaN: true }), (lat, lng) => {
        const expected = bruteForce(data, lat, lng);
        const got = index.reverse(lat, lng);
        if (!expected) {
          expect(got).toBeNull();
        } else {
          expect(got?.label).toBe(expected.label);
          expect(got!.distance).toBeCloseTo(expected.distance, 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects non-finite or out-of-range coordinates with BAD_REQUEST', () => {
    for (const [lat, lng] of [[Number.NaN, 7], [43, Number.NaN], [Infinity, 7], [90.0001, 7], [-91, 7], [43, 180.5], [43, -181]] as const) {
      let err: unknown;
      try {
        index.reverse(lat, lng);
      } catch (e) {
        err = e;
      }
      expect(err, `${lat},${lng}`).toBeInstanceOf(LocusError);
      expect((err as LocusError).code).toBe('BAD_REQUEST');
    }
  });
});
