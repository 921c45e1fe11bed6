import fc from 'fast-check';
import ngeohash from 'ngeohash';
import { describe, expect, it } from 'vitest';
import { GeohashGrid } from './geohash-grid.js';

const lat = fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.constantFrom(-90, 90, 0, 45, -45, 22.5));
const lng = fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.constantFrom(-180, 180, 0, 90, -90, 45));

describe('GeohashGrid', () => {
  it('hash(row(lat), col(lng)) is ngeohash.encode, boundaries included (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), lat, lng, (p, la, ln) => {
        const g = new GeohashGrid(p);
        expect(g.hash(g.row(la), g.col(ln))).toBe(ngeohash.encode(la, ln, p));
      }),
      { numRuns: 3000 },
    );
  });

  it('puts a point on a cell boundary where ngeohash does (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.nat(), fc.nat(), (p, i, j) => {
        const g = new GeohashGrid(p);
        const la = -90 + (i % (g.rows + 1)) * g.cellLatDeg;
        const ln = -180 + (j % (g.cols + 1)) * g.cellLngDeg;
        expect(g.hash(g.row(la), g.col(ln))).toBe(ngeohash.encode(la, ln, p));
      }),
      { numRuns: 2000 },
    );
  });

  it('has the textbook cell sizes', () => {
    // On the mean-radius sphere: a few metres under the usual WGS84 figures (4.89 km, 19.5 km, 39.1 km).
    const g5 = new GeohashGrid(5);
    expect(g5.cellHeightM).toBeCloseTo(4_886.5, 0);
    expect(g5.cellWidthM(0)).toBeCloseTo(4_886.5, 0);
    expect(g5.cellWidthM(60)).toBeCloseTo(2_443.3, 0);
    const g4 = new GeohashGrid(4);
    expect(g4.cellHeightM).toBeCloseTo(19_546, 0);
    expect(g4.cellWidthM(0)).toBeCloseTo(39_092, 0);
  });

  it('rejects precisions it cannot index exactly', () => {
    expect(() => new GeohashGrid(0)).toThrow(RangeError);
    expect(() => new GeohashGrid(11)).toThrow(RangeError);
    expect(() => new GeohashGrid(2.5)).toThrow(RangeError);
  });
});
