import { haversineMeters } from '@locus/geo';
import fc from 'fast-check';
import ngeohash from 'ngeohash';
import { describe, expect, it } from 'vitest';
import { GeohashGrid } from './geohash-grid.js';
import { coverCircle, coverContains, coverCount, emptyCover, forEachCell, precisionForRadius, type CellCover } from './stranger-cells.js';
import { DEFAULT_STRANGER_OPTIONS } from './stranger-options.js';
import { destination } from './test-geometry.js';

// Centres biased towards the places where neighbour rings go wrong: the poles and the antimeridian.
const centreLat = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc.double({ min: 89, max: 90, noNaN: true }),
  fc.double({ min: -90, max: -89, noNaN: true }),
  fc.constantFrom(90, -90, 0, 89.99, -89.99),
);
const centreLng = fc.oneof(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: 179.9, max: 180, noNaN: true }),
  fc.double({ min: -180, max: -179.9, noNaN: true }),
  fc.constantFrom(180, -180, 0),
);
const bearing = fc.double({ min: 0, max: 360, noNaN: true });
// On the circle (1) as well as inside it.
const fraction = fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }));

/** Every representation of the point: the antimeridian is both -180 and 180. */
function representations(p: { lat: number; lng: number }): { lat: number; lng: number }[] {
  if (p.lng === -180 || p.lng === 180) return [{ lat: p.lat, lng: -180 }, { lat: p.lat, lng: 180 }];
  return [p];
}

function hashes(grid: GeohashGrid, c: CellCover): Set<string> {
  const out = new Set<string>();
  forEachCell(grid, c, (row, col) => out.add(grid.hash(row, col)));
  return out;
}

describe('coverCircle', () => {
  const { precision, maxRadiusM, maxCells } = DEFAULT_STRANGER_OPTIONS;
  const grid = new GeohashGrid(precision);

  it('every point within the covered radius lies in a subscribed cell, by its ngeohash (property)', () => {
    fc.assert(
      fc.property(centreLat, centreLng, fc.double({ min: 0, max: maxRadiusM, noNaN: true }), bearing, fraction, (la, ln, r, b, f) => {
        const cover = coverCircle(grid, la, ln, r, maxCells, emptyCover());
        const cells = hashes(grid, cover);
        expect(cells.size).toBe(coverCount(grid, cover));
        expect(cells.size).toBeLessThanOrEqual(maxCells);
        expect(cells.has(ngeohash.encode(la, ln, precision))).toBe(true); // where the user publishes
        const p = destination(la, ln, f * cover.coveredRadiusM, b);
        if (haversineMeters(la, ln, p.lat, p.lng) > cover.coveredRadiusM) return;
        // Covered radius 0 (the cap left only the own cell, at a pole): only the point as sent is promised.
        const points = cover.coveredRadiusM > 0 ? representations(p) : [{ lat: la, lng: ln }];
        for (const q of points) expect(cells.has(ngeohash.encode(q.lat, q.lng, precision))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('covers the whole radius at any precision when cells are not capped (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }),
        centreLat,
        centreLng,
        fc.double({ min: 0, max: 1, noNaN: true }),
        bearing,
        fraction,
        (p, la, ln, rel, b, f) => {
          const g = new GeohashGrid(p);
          const r = rel * 3 * g.cellHeightM;
          const cover = coverCircle(g, la, ln, r, Number.POSITIVE_INFINITY, emptyCover());
          expect(cover.coveredRadiusM).toBe(r);
          const q = destination(la, ln, f * r, b);
          if (haversineMeters(la, ln, q.lat, q.lng) > r) return;
          for (const x of representations(q)) expect(coverContains(cover, g.row(x.lat), g.col(x.lng))).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('takes every column around a pole and wraps across the antimeridian', () => {
    const g = new GeohashGrid(5);
    const pole = coverCircle(g, 89.99, 10, 5_000, Number.POSITIVE_INFINITY, emptyCover());
    expect(pole.col0).toBe(0);
    expect(pole.col1).toBe(g.cols - 1);
    expect(pole.row1).toBe(g.rows - 1);

    const east = coverCircle(g, 0, 179.99, 2_000, 25, emptyCover());
    expect(east.col0).toBeGreaterThan(east.col1);
    const cells = hashes(g, east);
    expect(cells.has(ngeohash.encode(0, -179.99, 5))).toBe(true);
    expect(cells.has(ngeohash.encode(0, 179.99, 5))).toBe(true);
  });

  it('shrinks the covered radius instead of exceeding the cap, down to the own cell at a pole', () => {
    const g = new GeohashGrid(5);
    const north = coverCircle(g, 80, 20, 5_000, 25, emptyCover());
    expect(coverCount(g, north)).toBeLessThanOrEqual(25);
    expect(north.coveredRadiusM).toBeLessThan(5_000);
    expect(north.coveredRadiusM).toBeGreaterThan(1_000);

    const pole = coverCircle(g, 90, 0, 5_000, 25, emptyCover());
    expect(coverCount(g, pole)).toBe(1);
    expect(pole.coveredRadiusM).toBe(0);
  });

  it('the defaults cover the full radius with ≤ 25 cells up to 60° latitude (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -60, max: 60, noNaN: true }), centreLng, fc.double({ min: 0, max: maxRadiusM, noNaN: true }), (la, ln, r) => {
        const cover = coverCircle(grid, la, ln, r, maxCells, emptyCover());
        expect(cover.coveredRadiusM).toBe(r);
      }),
      { numRuns: 3000 },
    );
  });

  it('precision 4 covers 20 km with ≤ 16 cells up to 70° latitude (property; the alternative in the options doc)', () => {
    const g4 = new GeohashGrid(4);
    fc.assert(
      fc.property(fc.double({ min: -70, max: 70, noNaN: true }), centreLng, (la, ln) => {
        expect(coverCount(g4, coverCircle(g4, la, ln, 20_000, Number.POSITIVE_INFINITY, emptyCover()))).toBeLessThanOrEqual(16);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('precisionForRadius', () => {
  it('picks the largest precision whose cells are at least the radius', () => {
    expect(precisionForRadius(600)).toBe(6);
    expect(precisionForRadius(4_800)).toBe(5);
    expect(precisionForRadius(5_000)).toBe(4);
    expect(precisionForRadius(20_000)).toBe(3);
    expect(precisionForRadius(0.5)).toBe(10);
    expect(precisionForRadius(1)).toBe(9);
  });
});
