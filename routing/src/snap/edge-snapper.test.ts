import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import { EdgeSnapper } from './edge-snapper.js';

function grid(n: number) {
  const b = new RoadGraphBuilder();
  const id = (i: number, j: number) => i * n + j;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b.addNode(43.7 + i * 0.001, 7.4 + j * 0.0014);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (j + 1 < n) b.addRoad(id(i, j), id(i, j + 1), { speedKmh: 30, roadClass: RoadClass.residential });
      if (i + 1 < n) b.addRoad(id(i, j), id(i + 1, j), { speedKmh: 30, roadClass: RoadClass.residential });
    }
  return b.build();
}

describe('EdgeSnapper', () => {
  const g = grid(20);
  const snapper = new EdgeSnapper(g);

  it('projects onto the nearest edge with the offset along it', () => {
    // Halfway along the first horizontal edge of row 0, 10 m north of it.
    const s = snapper.snap(43.7 + 10 / 111_195, 7.4 + 0.0007, 100)!;
    expect(s.distance).toBeCloseTo(10, 0);
    expect(s.offset).toBeCloseTo(0.5, 2);
    expect(Math.abs(g.nodeLat[g.edgeSource[s.edge]!]! - 43.7)).toBeLessThan(1e-9);
  });

  it('answers null off the map', () => {
    expect(snapper.snap(44.5, 7.4, 500)).toBeNull();
  });

  it('equals a brute-force nearest edge (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 43.69, max: 43.73, noNaN: true }), fc.double({ min: 7.39, max: 7.43, noNaN: true }), (lat, lng) => {
        const s = snapper.snap(lat, lng, 5000);
        let best = Infinity;
        for (let e = 0; e < g.edgeCount; e++) {
          const one = new EdgeSnapper({ ...g }, (x) => x === e).snap(lat, lng, 5000);
          if (one) best = Math.min(best, one.distance);
        }
        expect(s).not.toBeNull();
        expect(s!.distance).toBeCloseTo(best, 6);
      }),
      { numRuns: 15 },
    );
  });

  it('with a filter, the nearest accepted edge (nothing accepted in reach: null)', () => {
    const lat = 43.7 + 10 / 111_195;
    const lng = 7.4 + 0.0007;
    const nearest = snapper.snap(lat, lng, 500)!;
    const rejectNearest = { usable: (e: number) => e !== nearest.edge && g.edgeSource[e] !== g.edgeTarget[nearest.edge] };
    const next = snapper.snap(lat, lng, 500, rejectNearest)!;
    expect(next.edge).not.toBe(nearest.edge);
    expect(next.distance).toBeGreaterThan(nearest.distance);
    let best = Infinity;
    for (let e = 0; e < g.edgeCount; e++) {
      if (!rejectNearest.usable(e)) continue;
      const one = new EdgeSnapper({ ...g }, (x) => x === e).snap(lat, lng, 500);
      if (one) best = Math.min(best, one.distance);
    }
    expect(next.distance).toBeCloseTo(best, 6);
    expect(snapper.snap(lat, lng, 500, { usable: () => false })).toBeNull();
  });
});
