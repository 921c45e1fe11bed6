import { EARTH_RADIUS_M } from '@locus/geo';

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';
const M_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_M;

/** Highest precision supported: row × col indices stay exact integers and bit operations stay 32-bit. */
export const MAX_GRID_PRECISION = 10;

/**
 * The geohash cells of one precision seen as a grid of `rows` × `cols` integer indices (row 0 at the
 * south pole, col 0 at -180°). Working with indices instead of strings makes "which cells does this
 * box touch" two integer ranges, compared and counted without allocating; a string is built only when a
 * channel name is needed.
 *
 * `row`/`col` repeat ngeohash's bisection step by step (`value > mid` goes to the upper half), so a
 * point on a cell boundary lands in the same cell ngeohash puts it in: publisher and subscriber must
 * never disagree about a point's cell, and a formula like floor((lat + 90) / h) can round across a
 * boundary.
 */
export class GeohashGrid {
  readonly lngBits: number;
  readonly latBits: number;
  readonly rows: number;
  readonly cols: number;
  /** Cell size in degrees. */
  readonly cellLatDeg: number;
  readonly cellLngDeg: number;

  constructor(readonly precision: number) {
    if (!Number.isInteger(precision) || precision < 1 || precision > MAX_GRID_PRECISION) {
      throw new RangeError(`geohash precision must be an integer in [1, ${MAX_GRID_PRECISION}]`);
    }
    const bits = 5 * precision;
    // Bits alternate starting with longitude, so longitude gets the odd one out.
    this.lngBits = Math.ceil(bits / 2);
    this.latBits = Math.floor(bits / 2);
    this.rows = 2 ** this.latBits;
    this.cols = 2 ** this.lngBits;
    this.cellLatDeg = 180 / this.rows;
    this.cellLngDeg = 360 / this.cols;
  }

  /** Cell height in metres (the same at every latitude). */
  get cellHeightM(): number {
    return this.cellLatDeg * M_PER_DEG;
  }

  /** Cell width in metres at a latitude (it shrinks with cos(lat)). */
  cellWidthM(lat: number): number {
    return this.cellLngDeg * M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  }

  row(lat: number): number {
    let lo = -90;
    let hi = 90;
    let r = 0;
    for (let i = 0; i < this.latBits; i++) {
      const mid = (lo + hi) / 2;
      if (lat > mid) {
        r = r * 2 + 1;
        lo = mid;
      } else {
        r *= 2;
        hi = mid;
      }
    }
    return r;
  }

  col(lng: number): number {
    let lo = -180;
    let hi = 180;
    let c = 0;
    for (let i = 0; i < this.lngBits; i++) {
      const mid = (lo + hi) / 2;
      if (lng > mid) {
        c = c * 2 + 1;
        lo = mid;
      } else {
        c *= 2;
        hi = mid;
      }
    }
    return c;
  }

  /** The geohash string of a cell (what ngeohash.encode returns for any point inside it). */
  hash(row: number, col: number): string {
    let s = '';
    let v = 0;
    let lngBit = this.lngBits - 1;
    let latBit = this.latBits - 1;
    const total = 5 * this.precision;
    for (let i = 0; i < total; i++) {
      // Even positions carry longitude bits, odd ones latitude, most significant first.
      const bit = (i & 1) === 0 ? (col >>> lngBit--) & 1 : (row >>> latBit--) & 1;
      v = v * 2 + bit;
      if (i % 5 === 4) {
        s += BASE32[v];
        v = 0;
      }
    }
    return s;
  }
}
