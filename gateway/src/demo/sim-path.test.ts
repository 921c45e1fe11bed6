import { haversineMeters } from '@locus/geo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimPath } from './sim-path.js';

describe('SimPath', () => {
  // Three points on the Monaco seafront, [lng, lat] as GeoJSON has them.
  const coords: [number, number][] = [
    [7.4206, 43.7347],
    [7.4246, 43.7384],
    [7.4283, 43.7394],
  ];

  it('measures its length along the points and clamps to the ends', () => {
    const p = new SimPath(coords);
    const expected = haversineMeters(43.7347, 7.4206, 43.7384, 7.4246) + haversineMeters(43.7384, 7.4246, 43.7394, 7.4283);
    expect(p.length).toBeCloseTo(expected, 6);
    expect(p.at(-5)).toEqual({ lat: 43.7347, lng: 7.4206 });
    expect(new SimPath(coords).at(p.length + 100)).toEqual({ lat: 43.7394, lng: 7.4283 });
  });

  it('passes through the middle point at its distance', () => {
    const p = new SimPath(coords);
    const first = haversineMeters(43.7347, 7.4206, 43.7384, 7.4246);
    const at = p.at(first);
    expect(at.lat).toBeCloseTo(43.7384, 9);
    expect(at.lng).toBeCloseTo(7.4246, 9);
  });

  it('a single point or repeated points stay put; an empty path is refused', () => {
    expect(new SimPath([[7.42, 43.73]]).at(50)).toEqual({ lat: 43.73, lng: 7.42 });
    const p = new SimPath([[7.42, 43.73], [7.42, 43.73], [7.43, 43.73]]);
    expect(p.at(0)).toEqual({ lat: 43.73, lng: 7.42 });
    expect(() => new SimPath([]).at(0)).toThrow(RangeError);
  });

  it('moves forward monotonically: each step covers no more ground than the distance driven', () => {
    const point = fc.tuple(fc.double({ min: 7.40, max: 7.45, noNaN: true }), fc.double({ min: 43.72, max: 43.76, noNaN: true }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 20 }), fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { maxLength: 40 }), (pts, steps) => {
        const p = new SimPath(pts);
        let travelled = 0;
        let prev = p.at(0);
        for (const s of steps) {
          travelled += s;
          const next = p.at(travelled);
          // Straight-line distance never exceeds the distance driven along the path (slack: points are
          // interpolated linearly in degrees, a hair off the great circle the length is measured on).
          expect(haversineMeters(prev.lat, prev.lng, next.lat, next.lng)).toBeLessThanOrEqual(s * 1.001 + 1e-3);
          prev = next;
        }
        const end = pts[pts.length - 1]!;
        expect(p.at(p.length + 1)).toEqual({ lat: end[1], lng: end[0] });
      }),
    );
  });
});
