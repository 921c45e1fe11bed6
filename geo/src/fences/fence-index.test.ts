import fc from 'fast-check';
import type { Fence } from '@locus/protocol';
import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { FenceIndex } from './fence-index.js';
import { fenceShape } from './fence-shape.js';

const circle = (id: string, lat: number, lng: number, radius: number): Fence => ({ kind: 'circle', id, owner: 'o', scope: 'self', createdAt: 0, lat, lng, radius });

describe('FenceIndex', () => {
  it('finds exactly the circles containing a point (property, incl. poles and ±180°)', () => {
    const centre = fc.constantFrom([43.73, 7.42], [0, 179.999], [0, -179.999], [89.95, 10], [-85, -100]);
    fc.assert(
      fc.property(
        centre,
        fc.array(fc.record({ dlat: fc.double({ min: -0.05, max: 0.05, noNaN: true }), dlng: fc.double({ min: -0.05, max: 0.05, noNaN: true }), r: fc.double({ min: 10, max: 8000, noNaN: true }) }), { maxLength: 30 }),
        fc.array(fc.tuple(fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true })), { minLength: 1, maxLength: 20 }),
        ([clat, clng], fences, probes) => {
          const norm = (lat: number, lng: number): [number, number] => {
            let o = lng;
            if (o > 180) o -= 360;
            if (o < -180) o += 360;
            return [Math.max(-90, Math.min(90, lat)), o];
          };
          const index = new FenceIndex();
          const all = fences.map((f, i) => {
            const [la, lo] = norm(clat! + f.dlat, clng! + f.dlng);
            const fence = circle(`f${i}`, la, lo, f.r);
            index.add(fenceShape(fence));
            return fence;
          });
          for (const [dlat, dlng] of probes) {
            const [la, lo] = norm(clat! + dlat, clng! + dlng);
            const got = index.containingInto(la, lo, []).map((s) => s.fence.id).sort();
            const want = all.filter((f) => f.kind === 'circle' && haversineMeters(f.lat, f.lng, la, lo) <= f.radius).map((f) => f.id).sort();
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('tests polygons on the sphere, whichever way their vertices turn', () => {
    const index = new FenceIndex();
    const square: [number, number][] = [[43.73, 7.41], [43.73, 7.43], [43.75, 7.43], [43.75, 7.41]];
    index.add(fenceShape({ kind: 'polygon', id: 'ccw', owner: 'o', scope: 'self', createdAt: 0, points: square }));
    index.add(fenceShape({ kind: 'polygon', id: 'cw', owner: 'o', scope: 'self', createdAt: 0, points: [...square].reverse() }));
    expect(index.containingInto(43.74, 7.42, []).map((s) => s.fence.id).sort()).toEqual(['ccw', 'cw']);
    expect(index.containingInto(43.76, 7.42, [])).toEqual([]);
    index.remove('cw');
    expect(index.containingInto(43.74, 7.42, []).map((s) => s.fence.id)).toEqual(['ccw']);
    // Across the antimeridian.
    index.add(fenceShape({ kind: 'polygon', id: 'date-line', owner: 'o', scope: 'self', createdAt: 0, points: [[-1, 179.5], [-1, -179.5], [1, -179.5], [1, 179.5]] }));
    expect(index.containingInto(0, 180, []).map((s) => s.fence.id)).toEqual(['date-line']);
    expect(index.containingInto(0, -179.9, []).map((s) => s.fence.id)).toEqual(['date-line']);
    expect(index.containingInto(0, 179, [])).toEqual([]);
  });

  it('refuses self-intersecting polygons with BAD_REQUEST', () => {
    expect(() => fenceShape({ kind: 'polygon', id: 'bow', owner: 'o', scope: 'self', createdAt: 0, points: [[0, 0], [1, 1], [0, 1], [1, 0]] })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});
