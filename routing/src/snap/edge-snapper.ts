import { EARTH_RADIUS_M } from '@locus/geo';
import type { RoadGraph } from '../graph/road-graph.js';

const RAD = Math.PI / 180;
/** Grid cell size in degrees (~220 m of latitude): a few edges per cell in a city. */
const CELL_DEG = 0.002;

/**
 * Which directed edges a snap may land on (CarCosting is one: the edges its costing can drive). An
 * object with a method rather than a callback, so a snap under a per-request costing allocates no
 * closure.
 */
export interface EdgeFilter {
  usable(edge: number): boolean;
}

export interface Snap {
  /** The directed edge the point projects onto (its reverse twin, if any, is equally close). */
  edge: number;
  /** 0..1 along the edge from its source. */
  offset: number;
  /** Metres from the point to the edge. */
  distance: number;
  lat: number;
  lng: number;
}

/**
 * Metres from (lat, lng) to edge `e`, measured as EdgeSnapper.snap measures (so a snap of that point
 * lands on no edge farther than one this gives a smaller figure for).
 */
export function edgeDistanceM(g: RoadGraph, e: number, lat: number, lng: number): number {
  return edgeDistanceScaled(g, e, lat, lng, lngMetres(lat));
}

/** Metres per degree of longitude at `lat` (the snap's local projection). */
export function lngMetres(lat: number): number {
  return Math.cos(lat * RAD) * RAD * EARTH_RADIUS_M;
}

/** Where the last edgeDistanceScaled met its edge: `t` (0..1 along it), and metres east and north of the point. */
const foot = { t: 0, x: 0, y: 0 };

/**
 * edgeDistanceM with lngMetres(lat) given (`kx`): for many edges measured from one point. The one
 * formula both the snap and its callers measure with; it leaves the nearest point in `foot`.
 */
export function edgeDistanceScaled(g: RoadGraph, e: number, lat: number, lng: number, kx: number): number {
  const ky = RAD * EARTH_RADIUS_M;
  const a = g.edgeSource[e]!;
  const b = g.edgeTarget[e]!;
  const ax = (g.nodeLng[a]! - lng) * kx;
  const ay = (g.nodeLat[a]! - lat) * ky;
  const dx = (g.nodeLng[b]! - lng) * kx - ax;
  const dy = (g.nodeLat[b]! - lat) * ky - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const px = ax + t * dx;
  const py = ay + t * dy;
  foot.t = t;
  foot.x = px;
  foot.y = py;
  return Math.sqrt(px * px + py * py);
}

/**
 * Nearest routable edge to a point: edges are registered in the grid cells their bounding box
 * touches; a query visits rings of cells around the point until the ring is farther than the best
 * edge found. Point-to-segment distance on a local equirectangular projection (exact enough at the
 * tens-of-metres scale that snapping works at).
 */
export class EdgeSnapper {
  private readonly cells = new Map<number, number[]>();

  constructor(
    private readonly graph: RoadGraph,
    usable: (edge: number) => boolean = () => true,
  ) {
    for (let e = 0; e < graph.edgeCount; e++) if (usable(e)) this.add(e);
  }

  /** Registers an edge (a lazily loaded graph adds its edges as their tiles arrive). */
  add(e: number): void {
    const { edgeSource, edgeTarget, nodeLat, nodeLng } = this.graph;
    const a = edgeSource[e]!;
    const b = edgeTarget[e]!;
    const r0 = row(Math.min(nodeLat[a]!, nodeLat[b]!));
    const r1 = row(Math.max(nodeLat[a]!, nodeLat[b]!));
    const c0 = col(Math.min(nodeLng[a]!, nodeLng[b]!));
    const c1 = col(Math.max(nodeLng[a]!, nodeLng[b]!));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const k = key(r, c);
        const list = this.cells.get(k);
        if (list) list.push(e);
        else this.cells.set(k, [e]);
      }
    }
  }

  /**
   * The nearest edge within `maxDistanceM` (among those `filter` accepts, when given), or null (a
   * point off the map, or no acceptable edge that close).
   */
  snap(lat: number, lng: number, maxDistanceM: number, filter?: EdgeFilter): Snap | null {
    const g = this.graph;
    const r = row(lat);
    const c = col(lng);
    const kx = lngMetres(lat);
    const ky = RAD * EARTH_RADIUS_M;
    const cellM = CELL_DEG * Math.min(kx, ky);
    let best: Snap | null = null;
    const maxRing = Math.ceil(maxDistanceM / cellM) + 1;
    for (let ring = 0; ring <= maxRing; ring++) {
      // Everything in this ring is at least (ring - 1) cells away.
      if (best && (ring - 1) * cellM > best.distance) break;
      for (let dr = -ring; dr <= ring; dr++) {
        for (let dc = -ring; dc <= ring; dc++) {
          if (Math.max(Math.abs(dr), Math.abs(dc)) !== ring) continue;
          const list = this.cells.get(key(r + dr, c + dc));
          if (!list) continue;
          for (const e of list) {
            const d = edgeDistanceScaled(g, e, lat, lng, kx);
            if (d <= maxDistanceM && (!best || d < best.distance - 1e-9 || (Math.abs(d - best.distance) <= 1e-9 && e < best.edge))) {
              // Asked only of a candidate that would win: most edges are rejected on distance alone.
              if (filter !== undefined && !filter.usable(e)) continue;
              best = { edge: e, offset: foot.t, distance: d, lat: lat + foot.y / ky, lng: lng + foot.x / kx };
            }
          }
        }
      }
    }
    return best;
  }
}

const row = (lat: number): number => Math.floor((lat + 90) / CELL_DEG);
const col = (lng: number): number => Math.floor((lng + 180) / CELL_DEG);
const key = (r: number, c: number): number => r * 1_000_000 + c;
