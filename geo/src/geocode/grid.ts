/**
 * A bucket grid over lat/lng: cell → ids of the items whose bounding box touches it. Reverse lookups
 * visit only the cells within the search radius instead of every item. Cells of 0.005° (about 550 m
 * north–south) make a 100–200 m search touch at most 3×3 cells at mid latitudes.
 */
export const DEFAULT_CELL_DEG = 0.005;

const M_PER_DEG_LAT = 111_195;

class GridShape {
  readonly cols: number;
  readonly rows: number;
  constructor(readonly cellDeg: number) {
    this.cols = Math.ceil(360 / cellDeg);
    this.rows = Math.ceil(180 / cellDeg);
  }
  row(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat + 90) / this.cellDeg)));
  }
  col(lng: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((lng + 180) / this.cellDeg)));
  }
  key(row: number, col: number): number {
    // Columns wrap so a search next to the antimeridian sees both sides.
    const c = ((col % this.cols) + this.cols) % this.cols;
    return row * this.cols + c;
  }
}

/** Collects items (by bounding box), then freezes into a Grid of typed arrays. */
export class GridBuilder extends GridShape {
  private readonly cells = new Map<number, number[]>();
  constructor(cellDeg = DEFAULT_CELL_DEG) {
    super(cellDeg);
  }

  add(id: number, minLat: number, minLng: number, maxLat: number, maxLng: number): void {
    const r0 = this.row(minLat);
    const r1 = this.row(maxLat);
    const c0 = this.col(minLng);
    const c1 = this.col(maxLng);
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const key = this.key(r, c);
        const list = this.cells.get(key);
        if (list) list.push(id);
        else this.cells.set(key, [id]);
      }
    }
  }

  build(): Grid {
    const frozen = new Map<number, Uint32Array>();
    for (const [k, ids] of this.cells) frozen.set(k, Uint32Array.from(ids));
    return new Grid(this.cellDeg, frozen);
  }
}

export class Grid extends GridShape {
  constructor(
    cellDeg: number,
    private readonly cells: ReadonlyMap<number, Uint32Array>,
  ) {
    super(cellDeg);
  }

  get cellCount(): number {
    return this.cells.size;
  }

  /**
   * Calls visit(id) for every item in the cells within radiusM of the point (items may repeat when
   * they span several cells; callers keep a minimum, so that is harmless). `visit` should be a bound
   * method kept by the caller, so a lookup allocates nothing.
   */
  near(lat: number, lng: number, radiusM: number, visit: (id: number) => void): void {
    const dLat = radiusM / M_PER_DEG_LAT;
    // Longitude degrees shrink with cos(lat); near the poles the whole ring is in range.
    const cos = Math.cos((lat * Math.PI) / 180);
    const dLng = cos > 1e-6 ? Math.min(180, radiusM / (M_PER_DEG_LAT * cos)) : 180;
    const r0 = this.row(lat - dLat);
    const r1 = this.row(lat + dLat);
    const c0 = Math.floor((lng - dLng + 180) / this.cellDeg);
    const c1 = Math.min(c0 + this.cols - 1, Math.floor((lng + dLng + 180) / this.cellDeg));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const ids = this.cells.get(this.key(r, c));
        if (!ids) continue;
        for (let i = 0; i < ids.length; i++) visit(ids[i]!);
      }
    }
  }
}
