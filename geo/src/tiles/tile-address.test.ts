import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTileAddress, MAX_MERCATOR_LAT, tileAddress, tileBounds } from './tile-address.js';

describe('tileAddress', () => {
  it('matches known slippy-map tiles', () => {
    expect(tileAddress(0, 0, 0)).toEqual({ z: 0, x: 0, y: 0 });
    expect(tileAddress(0, 0, 1)).toEqual({ z: 1, x: 1, y: 1 });
    expect(tileAddress(0.0001, -0.0001, 1)).toEqual({ z: 1, x: 0, y: 0 });
    // Berlin, Monaco, London (cross-checked with the asinh form of the formula, computed apart).
    expect(tileAddress(52.52, 13.405, 10)).toEqual({ z: 10, x: 550, y: 335 });
    expect(tileAddress(43.7384, 7.4246, 14)).toEqual({ z: 14, x: 8529, y: 5974 });
    expect(tileAddress(51.5074, -0.1278, 18)).toEqual({ z: 18, x: 130978, y: 87169 });
  });

  it('clamps latitude to the Mercator square and keeps lng 180 in the last column', () => {
    const n = 2 ** 12;
    expect(tileAddress(90, 0, 12).y).toBe(0);
    expect(tileAddress(MAX_MERCATOR_LAT, 0, 12).y).toBe(0);
    expect(tileAddress(-90, 0, 12).y).toBe(n - 1);
    expect(tileAddress(-MAX_MERCATOR_LAT, 0, 12).y).toBe(n - 1);
    expect(tileAddress(0, -180, 12).x).toBe(0);
    expect(tileAddress(0, 180, 12).x).toBe(n - 1);
    expect(tileAddress(0, 180, 0)).toEqual({ z: 0, x: 0, y: 0 });
  });

  it('rejects bad input', () => {
    for (const [lat, lng, z] of [
      [0, 0, -1],
      [0, 0, 23],
      [0, 0, 1.5],
      [0, 0, Number.NaN],
      [91, 0, 1],
      [0, -180.0001, 1],
      [Number.NaN, 0, 1],
      [0, Number.POSITIVE_INFINITY, 1],
    ] as const) {
      expect(() => tileAddress(lat, lng, z)).toThrow(RangeError);
    }
  });

  const lat = fc.double({ min: -MAX_MERCATOR_LAT, max: MAX_MERCATOR_LAT, noNaN: true });
  const lng = fc.double({ min: -180, max: 180, noNaN: true });
  const zoom = fc.integer({ min: 0, max: 22 });

  it('gives a tile whose bounds contain the point', () => {
    fc.assert(
      fc.property(lat, lng, zoom, (la, ln, z) => {
        const t = tileAddress(la, ln, z);
        expect(isTileAddress(t.z, t.x, t.y)).toBe(true);
        const b = tileBounds(t.z, t.x, t.y);
        // Inverting the projection is not bit-exact at a tile edge: allow ~0.1 mm.
        const eps = 1e-9;
        expect(ln).toBeGreaterThanOrEqual(b.west - eps);
        expect(ln).toBeLessThanOrEqual(b.east + eps);
        expect(la).toBeGreaterThanOrEqual(b.south - eps);
        expect(la).toBeLessThanOrEqual(b.north + eps);
      }),
      { numRuns: 2000 },
    );
  });

  it('nests: the tile at z+1 is a child of the tile at z', () => {
    fc.assert(
      fc.property(lat, lng, fc.integer({ min: 0, max: 21 }), (la, ln, z) => {
        const parent = tileAddress(la, ln, z);
        const child = tileAddress(la, ln, z + 1);
        expect([Math.floor(child.x / 2), Math.floor(child.y / 2)]).toEqual([parent.x, parent.y]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tileBounds', () => {
  it('z0 is the whole Mercator world', () => {
    const b = tileBounds(0, 0, 0);
    expect(b.west).toBe(-180);
    expect(b.east).toBe(180);
    expect(b.north).toBeCloseTo(MAX_MERCATOR_LAT, 6);
    expect(b.south).toBeCloseTo(-MAX_MERCATOR_LAT, 6);
  });
});

describe('isTileAddress', () => {
  it('accepts integers in range and nothing else', () => {
    expect(isTileAddress(0, 0, 0)).toBe(true);
    expect(isTileAddress(14, 16383, 16383)).toBe(true);
    expect(isTileAddress(14, 16384, 0)).toBe(false);
    expect(isTileAddress(14, 0, -1)).toBe(false);
    expect(isTileAddress(14, 0.5, 0)).toBe(false);
    expect(isTileAddress(23, 0, 0)).toBe(false);
    expect(isTileAddress(Number.NaN, 0, 0)).toBe(false);
  });
});
