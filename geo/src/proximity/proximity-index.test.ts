import fc from 'fast-check';
import ngeohash from 'ngeohash';
import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { geohashKey } from './geohash-key.js';
import { ProximityIndex, type IndexKind } from './proximity-index.js';

interface P {
  id: string;
  lat: number;
  lng: number;
  category: string;
}

function brute(points: P[], lat: number, lng: number, radius: number, category?: string): { id: string; d: number }[] {
  return points
    .filter((p) => category === undefined || p.category === category)
    .map((p) => ({ id: p.id, d: haversineMeters(lat, lng, p.lat, p.lng) }))
    .filter((h) => h.d <= radius)
    .sort((a, b) => a.d - b.d);
}

/** Points clustered around a centre, so queries have something to find (including the poles and ±180°). */
const cluster = (lat: number, lng: number, spreadDeg: number) =>
  fc.array(
    fc.record({
      dlat: fc.double({ min: -spreadDeg, max: spreadDeg, noNaN: true }),
      dlng: fc.double({ min: -spreadDeg * 4, max: spreadDeg * 4, noNaN: true }),
      category: fc.constantFrom('cafe', 'bar', 'shop'),
    }),
    { minLength: 0, maxLength: 300 },
  ).map((arr) =>
    arr.map((r, i) => {
      const la = Math.max(-90, Math.min(90, lat + r.dlat));
      let lo = lng + r.dlng;
      if (lo > 180) lo -= 360;
      if (lo < -180) lo += 360;
      return { id: `b${i}`, lat: la, lng: lo, category: r.category };
    }),
  );

const centres = fc.constantFrom(
  { lat: 43.73, lng: 7.42 }, // Monaco
  { lat: 0.1, lng: 179.995 }, // next to the antimeridian
  { lat: -12, lng: -179.999 },
  { lat: 84.5, lng: 30 }, // above 80°
  { lat: 89.99, lng: -120 }, // at the pole
  { lat: -88, lng: 0 },
);

describe.each<IndexKind>(['geohash', 's2'])('%s index', (kind) => {
  it('returns exactly the points within the radius, nearest first, as brute force does (property)', () => {
    fc.assert(
      fc.property(
        centres.chain((c) => fc.tuple(fc.constant(c), cluster(c.lat, c.lng, 0.05))),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        fc.double({ min: 1, max: 20_000, noNaN: true }),
        fc.option(fc.constantFrom('cafe', 'bar', 'museum'), { nil: undefined }),
        ([c, points], dlat, dlng, radius, category) => {
          const idx = new ProximityIndex(kind);
          // Half bulk-loaded (sorted), half as live writes (delta), to cover both paths.
          idx.bulkLoad(points.slice(0, points.length / 2));
          for (const p of points.slice(points.length / 2)) idx.upsert(p.id, p.lat, p.lng, p.category);
          const lat = Math.max(-90, Math.min(90, c.lat + dlat));
          let lng = c.lng + dlng;
          if (lng > 180) lng -= 360;
          const expected = brute(points, lat, lng, radius, category);
          const got = idx.nearby({ lat, lng, radius, limit: 1000, ...(category ? { category } : {}) }).hits;
          expect(got.map((h) => h.id).sort()).toEqual(expected.map((h) => h.id).sort());
          for (let i = 1; i < got.length; i++) expect(got[i]!.d).toBeGreaterThanOrEqual(got[i - 1]!.d);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('top-k equals the k nearest of brute force, and pages continue without gaps (property)', () => {
    fc.assert(
      fc.property(cluster(43.73, 7.42, 0.02), fc.integer({ min: 1, max: 20 }), (points, k) => {
        const idx = new ProximityIndex(kind);
        idx.bulkLoad(points);
        const all = brute(points, 43.73, 7.42, 5000);
        const seen: string[] = [];
        let after: { d: number; id: string } | undefined;
        for (let page = 0; page < 50; page++) {
          const hits = idx.nearby({ lat: 43.73, lng: 7.42, radius: 5000, limit: k, ...(after ? { after } : {}) }).hits;
          seen.push(...hits.map((h) => h.id));
          if (hits.length < k) break;
          const last = hits[hits.length - 1]!;
          after = { d: last.d, id: last.id };
        }
        expect(seen.length).toBe(all.length);
        expect(new Set(seen).size).toBe(all.length);
        // Same distances in the same order (ids may swap only at exactly equal distances).
        expect(seen.map((id) => haversineMeters(43.73, 7.42, points.find((p) => p.id === id)!.lat, points.find((p) => p.id === id)!.lng))).toEqual(all.map((h) => h.d));
      }),
      { numRuns: 100 },
    );
  });

  it('follows writes: moves, deletes and re-adds', () => {
    const idx = new ProximityIndex(kind);
    idx.upsert('a', 43.73, 7.42, 'cafe');
    idx.upsert('b', 43.731, 7.42, 'cafe');
    expect(idx.nearby({ lat: 43.73, lng: 7.42, radius: 500, limit: 10 }).hits.map((h) => h.id)).toEqual(['a', 'b']);
    idx.upsert('a', 44, 8, 'cafe');
    expect(idx.nearby({ lat: 43.73, lng: 7.42, radius: 500, limit: 10 }).hits.map((h) => h.id)).toEqual(['b']);
    idx.remove('b');
    expect(idx.nearby({ lat: 43.73, lng: 7.42, radius: 500, limit: 10 }).hits).toEqual([]);
    // Many writes force merges; everything stays findable exactly once.
    for (let i = 0; i < 5000; i++) idx.upsert(`p${i % 1000}`, 43.7 + (i % 100) / 10000, 7.4 + (i % 37) / 10000, 'x');
    const hits = idx.nearby({ lat: 43.705, lng: 7.402, radius: 5000, limit: 5000 }).hits;
    expect(hits.length).toBe(1000);
    expect(new Set(hits.map((h) => h.id)).size).toBe(1000);
  });
});

describe('geohash keys', () => {
  it('equal ngeohash.encode_int at 52 bits (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }), (lat, lng) => {
        expect(geohashKey(lat, lng)).toBe(ngeohash.encode_int(lat, lng, 52));
      }),
    );
  });
});
