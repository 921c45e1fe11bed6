import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePolyline, encodePolyline } from './polyline.js';

describe('encoded polyline', () => {
  it('matches the reference example of the format', () => {
    expect(encodePolyline([38.5, -120.2, 40.7, -120.95, 43.252, -126.453])).toBe('_p~iF~ps|U_ulLnnqC_mqNvxq`@');
  });

  it('round-trips to 1e-5 degrees (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true })), { maxLength: 50 }), (pts) => {
        const flat = pts.flat();
        const back = decodePolyline(encodePolyline(flat));
        expect(back.length).toBe(flat.length);
        back.forEach((v, i) => expect(Math.abs(v - flat[i]!)).toBeLessThanOrEqual(0.5e-5 + 1e-12));
      }),
    );
  });
});
