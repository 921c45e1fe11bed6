import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceFromTrig, EARTH_RADIUS_M, haversineMeters, latCos, latSin } from './distance.js';

const lat = fc.double({ min: -90, max: 90, noNaN: true });
const lng = fc.double({ min: -180, max: 180, noNaN: true });

describe('haversineMeters', () => {
  it('matches known distances', () => {
    // One degree of latitude on the mean sphere.
    expect(haversineMeters(0, 0, 1, 0)).toBeCloseTo((Math.PI / 180) * EARTH_RADIUS_M, 6);
    // Across the antimeridian is short, not half the planet.
    expect(haversineMeters(0, 179.9, 0, -179.9)).toBeCloseTo(haversineMeters(0, 0, 0, 0.2), 6);
    expect(haversineMeters(90, 0, -90, 0)).toBeCloseTo(Math.PI * EARTH_RADIUS_M, 3);
  });

  it('stays accurate next to antipodal points', () => {
    // Haversine's asin loses ~1 cm here, enough to break the triangle inequality below.
    const d = haversineMeters(0, 0, 0, -179.99999790869023);
    expect(d).toBeLessThanOrEqual(haversineMeters(0, 0, -6.037091348628667e-7, 0) + haversineMeters(-6.037091348628667e-7, 0, 0, -179.99999790869023));
    expect(Math.PI * EARTH_RADIUS_M - d).toBeCloseTo(0.2325, 3);
  });

  it('is a metric: zero on itself, symmetric, triangle inequality (property)', () => {
    fc.assert(
      fc.property(lat, lng, lat, lng, lat, lng, (a1, o1, a2, o2, a3, o3) => {
        expect(haversineMeters(a1, o1, a1, o1)).toBe(0);
        const d12 = haversineMeters(a1, o1, a2, o2);
        expect(d12).toBeCloseTo(haversineMeters(a2, o2, a1, o1), 6);
        expect(d12).toBeGreaterThanOrEqual(0);
        expect(d12).toBeLessThanOrEqual(Math.PI * EARTH_RADIUS_M + 1e-3);
        expect(d12).toBeLessThanOrEqual(haversineMeters(a1, o1, a3, o3) + haversineMeters(a3, o3, a2, o2) + 1e-6);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('distanceFromTrig', () => {
  it('is haversineMeters to the bit, from each point\'s latitude sine and cosine (property)', () => {
    fc.assert(
      fc.property(lat, lng, lat, lng, (a, b, c, d) => {
        expect(Object.is(distanceFromTrig(latSin(a), latCos(a), b, latSin(c), latCos(c), d), haversineMeters(a, b, c, d))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
