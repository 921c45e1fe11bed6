import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { GridBuilder } from './grid.js';

describe('Grid', () => {
  it('visits every point within the radius (property, against a full scan)', () => {
    const point = fc.record({ lat: fc.double({ min: -80, max: 80, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }) });
    fc.assert(
      fc.property(
        point,
        fc.array(fc.record({ dLat: fc.double({ min: -0.01, max: 0.01, noNaN: true }), dLng: fc.double({ min: -0.02, max: 0.02, noNaN: true }) }), { maxLength: 60 }),
        fc.constantFrom(50, 100, 200, 600),
        (q, offsets, radius) => {
          const pts = offsets.map((o) => ({ lat: q.lat + o.dLat, lng: wrap(q.lng + o.dLng) }));
          const b = new GridBuilder();
          pts.forEach((p, i) => b.add(i, p.lat, p.lng, p.lat, p.lng));
          const grid = b.build();
          const seen = new Set<number>();
          grid.near(q.lat, q.lng, radius, (id) => seen.add(id));
          pts.forEach((p, i) => {
            if (haversineMeters(q.lat, q.lng, p.lat, p.lng) <= radius) expect(seen.has(i)).toBe(true);
          });
        },
      ),
    );
  });

  it('finds items across the antimeridian', () => {
    const b = new GridBuilder();
    b.add(7, 10, 179.9995, 10, 179.9995);
    const grid = b.build();
    const seen: number[] = [];
    grid.near(10, -179.9995, 200, (id) => seen.push(id));
    expect(seen).toEqual([7]);
  });

  it('registers a long segment in every cell of its bounding box', () => {
    const b = new GridBuilder(0.005);
    b.add(1, 43.7, 7.4, 43.72, 7.4);
    const grid = b.build();
    const seen: number[] = [];
    grid.near(43.71, 7.4, 10, (id) => seen.push(id));
    expect(seen).toContain(1);
  });
});

function wrap(lng: number): number {
  return lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;
}
