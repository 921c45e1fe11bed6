import { s2 } from 's2js';
import type { FenceShape } from './fence-shape.js';

/**
 * Static fences indexed by S2 cells, so a location update tests only the fences whose covering holds
 * its cell, never all fences. Each fence is covered by at most MAX_CELLS cells between MIN_LEVEL and
 * MAX_LEVEL; a lookup walks the point's leaf cell up through the levels in use (at most 17 map
 * lookups) and then checks each candidate exactly.
 */
const MIN_LEVEL = 4;
const MAX_LEVEL = 20;
const MAX_CELLS = 12;

export class FenceIndex {
  private readonly byCell = new Map<bigint, Set<string>>();
  private readonly cellsOf = new Map<string, bigint[]>();
  private readonly shapes = new Map<string, FenceShape>();
  private readonly levelUse = new Uint32Array(31);
  private readonly coverer = new s2.RegionCoverer({ minLevel: MIN_LEVEL, maxLevel: MAX_LEVEL, maxCells: MAX_CELLS });

  get size(): number {
    return this.shapes.size;
  }

  add(shape: FenceShape): void {
    const id = shape.fence.id;
    this.remove(id);
    const cells = [...this.coverer.covering(shape.region)];
    for (const c of cells) {
      let set = this.byCell.get(c);
      if (!set) this.byCell.set(c, (set = new Set()));
      set.add(id);
      this.levelUse[s2.cellid.level(c)]!++;
    }
    this.cellsOf.set(id, cells);
    this.shapes.set(id, shape);
  }

  remove(id: string): void {
    const cells = this.cellsOf.get(id);
    if (!cells) return;
    for (const c of cells) {
      const set = this.byCell.get(c);
      set?.delete(id);
      if (set && set.size === 0) this.byCell.delete(c);
      this.levelUse[s2.cellid.level(c)]!--;
    }
    this.cellsOf.delete(id);
    this.shapes.delete(id);
  }

  /** Fences containing the point, appended to `out` (cleared first). */
  containingInto(lat: number, lng: number, out: FenceShape[]): FenceShape[] {
    out.length = 0;
    if (this.shapes.size === 0) return out;
    const leaf = s2.cellid.fromLatLng(s2.LatLng.fromDegrees(lat, lng));
    for (let level = MIN_LEVEL; level <= MAX_LEVEL; level++) {
      if (this.levelUse[level] === 0) continue;
      const ids = this.byCell.get(s2.cellid.parent(leaf, level));
      if (!ids) continue;
      for (const id of ids) {
        const shape = this.shapes.get(id)!;
        if (shape.contains(lat, lng)) out.push(shape);
      }
    }
    return out;
  }
}
