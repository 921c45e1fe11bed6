import { EARTH_RADIUS_M } from '@locus/geo';
import { GeohashGrid, MAX_GRID_PRECISION } from './geohash-grid.js';

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;
/**
 * Added to every radius before the box is computed: the box formula and haversineMeters round
 * differently, and a point the hub measures at exactly `radius` must still fall in a subscribed cell.
 * A metre costs at most one extra row or column, rarely.
 */
const MARGIN_M = 1;

/**
 * The cells a subscriber listens to: a rectangle of rows × columns of one grid. `col0 > col1` means the
 * column range wraps across the antimeridian (col0..cols-1, then 0..col1); a circle around a pole
 * takes every column (0..cols-1).
 */
export interface CellCover {
  row0: number;
  row1: number;
  col0: number;
  col1: number;
  /**
   * Radius (metres) the cells are guaranteed to cover: the requested radius, unless that would need
   * more than the cell cap (far north or south, where cells are narrow), then less.
   */
  coveredRadiusM: number;
}

export function emptyCover(): CellCover {
  return { row0: 0, row1: -1, col0: 0, col1: -1, coveredRadiusM: 0 };
}

export function sameCells(a: CellCover, b: CellCover): boolean {
  return a.row0 === b.row0 && a.row1 === b.row1 && a.col0 === b.col0 && a.col1 === b.col1;
}

export function copyCover(from: CellCover, to: CellCover): void {
  to.row0 = from.row0;
  to.row1 = from.row1;
  to.col0 = from.col0;
  to.col1 = from.col1;
  to.coveredRadiusM = from.coveredRadiusM;
}

export function coverCount(grid: GeohashGrid, c: CellCover): number {
  const rows = c.row1 - c.row0 + 1;
  if (rows <= 0) return 0;
  const cols = c.col0 <= c.col1 ? c.col1 - c.col0 + 1 : grid.cols - c.col0 + c.col1 + 1;
  return rows * cols;
}

export function coverContains(c: CellCover, row: number, col: number): boolean {
  if (row < c.row0 || row > c.row1) return false;
  return c.col0 <= c.col1 ? col >= c.col0 && col <= c.col1 : col >= c.col0 || col <= c.col1;
}

/** Calls `fn` for every cell of the cover (rows south to north, columns west to east). */
export function forEachCell(grid: GeohashGrid, c: CellCover, fn: (row: number, col: number) => void): void {
  const wraps = c.col0 > c.col1;
  for (let row = c.row0; row <= c.row1; row++) {
    if (wraps) {
      for (let col = c.col0; col < grid.cols; col++) fn(row, col);
      for (let col = 0; col <= c.col1; col++) fn(row, col);
    } else {
      for (let col = c.col0; col <= c.col1; col++) fn(row, col);
    }
  }
}

/**
 * Into `out`: every cell of `grid` whose box meets the lat/lng bounding box of the circle (centre,
 * radiusM), at most `maxCells` of them. The bounding box, unlike a fixed ring of 3 × 3 neighbours,
 * stays right where cells are much narrower than the radius (high latitudes), across the antimeridian
 * and around a pole. When the box needs more than `maxCells` cells, the radius is reduced until it
 * fits (reported in `coveredRadiusM`); below that the cover degrades to the centre's own cell.
 *
 * The precision is the grid's, never chosen here: publishers publish on the cell of their own precision,
 * so a subscriber choosing a coarser one would listen where nobody talks.
 */
export function coverCircle(
  grid: GeohashGrid,
  lat: number,
  lng: number,
  radiusM: number,
  maxCells: number,
  out: CellCover,
): CellCover {
  const r = radiusM > 0 ? radiusM : 0;
  boxCells(grid, lat, lng, r, out);
  if (coverCount(grid, out) <= maxCells) {
    out.coveredRadiusM = r;
    return out;
  }
  // The count only grows with the radius: bisect for the largest radius that fits, to the metre.
  let lo = 0;
  let hi = r;
  boxCells(grid, lat, lng, 0, out);
  if (coverCount(grid, out) > maxCells) {
    // Within a metre of a pole (every column) or a cap below 4: only the own cell.
    out.row0 = out.row1 = grid.row(lat);
    out.col0 = out.col1 = grid.col(lng);
    out.coveredRadiusM = 0;
    return out;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) / 2;
    boxCells(grid, lat, lng, mid, out);
    if (coverCount(grid, out) <= maxCells) lo = mid;
    else hi = mid;
  }
  boxCells(grid, lat, lng, lo, out);
  out.coveredRadiusM = lo;
  return out;
}

/** The row and column ranges of the circle's bounding box (Matuschek's formulas on the sphere). */
function boxCells(grid: GeohashGrid, lat: number, lng: number, radiusM: number, out: CellCover): void {
  const delta = (radiusM + MARGIN_M) / EARTH_RADIUS_M;
  const latMin = lat - delta * DEG;
  const latMax = lat + delta * DEG;
  out.row0 = grid.row(Math.max(latMin, -90));
  out.row1 = grid.row(Math.min(latMax, 90));
  const full = (): void => {
    out.col0 = 0;
    out.col1 = grid.cols - 1;
  };
  if (latMax >= 90 || latMin <= -90) return full(); // a pole is inside: every longitude is
  const ratio = Math.sin(delta) / Math.cos(lat * RAD);
  if (!(ratio < 1)) return full();
  const dLng = Math.asin(ratio) * DEG;
  let lngMin = lng - dLng;
  let lngMax = lng + dLng;
  if (lngMax - lngMin >= 360) return full();
  if (lngMin < -180) lngMin += 360;
  else if (lngMax > 180) lngMax -= 360;
  out.col0 = grid.col(lngMin);
  out.col1 = grid.col(lngMax);
  // A wrapped range whose ends meet is every column.
  if (lngMin > lngMax && out.col0 <= out.col1) full();
}

/**
 * The largest precision whose cells are at least `radiusM` high and wide (at the equator): with it, a
 * circle of that radius touches at most 3 × 3 cells at low latitudes. For choosing the one deployment-
 * wide precision from the largest radius offered (StrangerOptions), not per user.
 */
export function precisionForRadius(radiusM: number): number {
  for (let p = MAX_GRID_PRECISION; p > 1; p--) {
    const g = new GeohashGrid(p);
    if (g.cellHeightM >= radiusM && g.cellWidthM(0) >= radiusM) return p;
  }
  return 1;
}
