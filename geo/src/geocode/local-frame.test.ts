import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { LocalFrame } from './local-frame.js';

describe('LocalFrame', () => {
  it('agrees with the great circle to well under a metre within 1 km (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -70, max: 70, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -0.009, max: 0.009, noNaN: true }),
        fc.double({ min: -0.009, max: 0.009, noNaN: true }),
        (lat, lng, dLat, dLng) => {
          const f = new LocalFrame().reset(lat, lng);
          const pLat = lat + dLat;
          const pLng = lng + dLng * Math.cos((lat * Math.PI) / 180);
          // A zero-length segment is a point.
          const flat = f.distanceToSegment(pLat, pLng, pLat, pLng);
          const sphere = haversineMeters(lat, lng, pLat, pLng);
          expect(Math.abs(flat - sphere)).toBeLessThan(0.5);
        },
      ),
    );
  });

  it('projects onto the segment and clamps to its ends', () => {
    const f = new LocalFrame().reset(43.73, 7.42);
    // A north–south segment 0.001° east of the point: nearest point is level with it.
    const d = f.distanceToSegment(43.72, 7.421, 43.74, 7.421);
    expect(d).toBeCloseTo(haversineMeters(43.73, 7.42, 43.73, 7.421), 0);
    expect(f.nearLat).toBeCloseTo(43.73, 9);
    expect(f.nearLng).toBeCloseTo(7.421, 9);
    // Past the end: the end is nearest.
    f.distanceToSegment(43.731, 7.421, 43.74, 7.421);
    expect(f.nearLat).toBeCloseTo(43.731, 9);
  });
});
