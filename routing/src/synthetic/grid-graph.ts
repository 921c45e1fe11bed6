import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { hilbertOrder } from './hilbert-order.js';
import { Rng } from './rng.js';

export interface GridGraphOptions {
  /** Intersections per row (x) and per column (y). */
  width: number;
  height: number;
  seed?: number;
  /** Distance between neighbouring intersections (default 100 m). */
  spacingMeters?: number;
  /** South-west corner (default 48.5, 2.0). */
  originLat?: number;
  originLng?: number;
  /** Random displacement of each intersection, so bearings and lengths are not all equal (default 10 m). */
  jitterMeters?: number;
  /** Share of local street links that do not exist (default 0.05). */
  missingLinkRate?: number;
  /** Share of local street links that are one-way, in a random direction (default 0.1). */
  oneWayRate?: number;
  /** An arterial (secondary, 60 km/h) row / column every this many (default 10; 0 = none). */
  arterialEvery?: number;
  /** A motorway (110 km/h) row / column every this many (default 50; 0 = none). */
  highwayEvery?: number;
  /** Share of motorway sections (interchange to interchange) that are toll (default 0.3). */
  tollRate?: number;
  /** Share of local / arterial intersections given a turn restriction (default 0.01). */
  restrictionRate?: number;
  /** Share of those restrictions that are `only_*` rather than `no_*` (default 0.2). */
  onlyRestrictionShare?: number;
  /** Car ferry lines between random intersections 3–8 km apart (default 1 per 100k intersections). */
  ferries?: number;
  /**
   * Node numbering: 'hilbert' (default: neighbours get nearby ids, as an importer should number a real
   * graph) or 'rows' (row-major, to measure what locality is worth).
   */
  order?: 'hilbert' | 'rows';
}

export interface GridGraph {
  readonly graph: RoadGraph;
  readonly width: number;
  readonly height: number;
  /** Node id of the intersection at column x, row y (row 0 is the southernmost). */
  node(x: number, y: number): number;
}

/** Travel directions (WEST = EAST ^ 2, SOUTH = NORTH ^ 2): edges are remembered per node and direction for restrictions. */
const EAST = 0;
const NORTH = 1;
const M_PER_DEG_LAT = 111_195;

/**
 * A W×H grid of intersections: local streets (some missing, some one-way), an arterial grid every 10th
 * row/column and a motorway grid every 50th, with toll sections, a few ferries and turn restrictions.
 *
 * Motorways have no level crossings: a local street meeting a motorway passes under it (one edge
 * from the intersection before to the one after), so motorway nodes off the arterial grid are pure
 * motorway nodes and the motorways are entered only at interchanges with arterials — the shape that
 * makes a hierarchy worth exploiting, as on real networks. Deterministic for a given seed.
 */
export function gridGraph(o: GridGraphOptions): GridGraph {
  const W = o.width;
  const H = o.height;
  const rng = new Rng(o.seed ?? 1);
  const spacing = o.spacingMeters ?? 100;
  const lat0 = o.originLat ?? 48.5;
  const lng0 = o.originLng ?? 2.0;
  const jitter = o.jitterMeters ?? 10;
  const missing = o.missingLinkRate ?? 0.05;
  const oneWay = o.oneWayRate ?? 0.1;
  const artEvery = o.arterialEvery ?? 10;
  const hwEvery = o.highwayEvery ?? 50;
  const tollRate = o.tollRate ?? 0.3;
  const restrictionRate = o.restrictionRate ?? 0.01;
  const onlyShare = o.onlyRestrictionShare ?? 0.2;
  const ferries = o.ferries ?? Math.floor((W * H) / 100_000);

  const hw = (i: number): boolean => hwEvery > 0 && i % hwEvery === hwEvery >> 1;
  const art = (i: number): boolean => hw(i) || (artEvery > 0 && i % artEvery === artEvery >> 1);
  const ids = o.order === 'rows' ? null : hilbertOrder(W, H);
  const node = ids === null ? (x: number, y: number): number => y * W + x : (x: number, y: number): number => ids[y * W + x]!;

  const b = new RoadGraphBuilder();
  const degLat = spacing / M_PER_DEG_LAT;
  const degLng = degLat / Math.cos((lat0 * Math.PI) / 180);
  const jLat = jitter / M_PER_DEG_LAT;
  const jLng = jLat / Math.cos((lat0 * Math.PI) / 180);
  // Nodes are added in id order; coordinates are drawn in row order so both numberings get the same map.
  const lat = new Float64Array(W * H);
  const lng = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      lat[node(x, y)] = lat0 + y * degLat + (rng.next() * 2 - 1) * jLat;
      lng[node(x, y)] = lng0 + x * degLng + (rng.next() * 2 - 1) * jLng;
    }
  }
  for (let v = 0; v < W * H; v++) b.addNode(lat[v]!, lng[v]!);

  // Insertion index of the edge leaving / entering each node in each travel direction (-1 = none).
  const out = new Int32Array(W * H * 4).fill(-1);
  const inn = new Int32Array(W * H * 4).fill(-1);
  const add = (from: number, to: number, dir: number, speedKmh: number, roadClass: number, flags: number): void => {
    const id = b.addEdge({ from, to, speedKmh, roadClass, flags });
    out[from * 4 + dir] = id;
    inn[to * 4 + dir] = id;
  };
  /** One link between a and b (a → b travels in `dir`), with the class of its line. */
  const link = (a: number, c: number, dir: number, line: number, toll: boolean): void => {
    if (hw(line)) {
      const flags = EdgeFlag.highway | (toll ? EdgeFlag.toll : 0);
      add(a, c, dir, 110, RoadClass.motorway, flags);
      add(c, a, dir ^ 2, 110, RoadClass.motorway, flags);
    } else if (art(line)) {
      const [speed, cls] = line % 2 === 0 ? [60, RoadClass.secondary] : [50, RoadClass.tertiary];
      add(a, c, dir, speed, cls, 0);
      add(c, a, dir ^ 2, speed, cls, 0);
    } else {
      if (rng.chance(missing)) return;
      const [speed, cls] = rng.chance(0.7) ? [30, RoadClass.residential] : [40, RoadClass.unclassified];
      const ways = rng.chance(oneWay) ? (rng.chance(0.5) ? 1 : 2) : 3;
      if (ways & 1) add(a, c, dir, speed, cls, 0);
      if (ways & 2) add(c, a, dir ^ 2, speed, cls, 0);
    }
  };

  // Rows (east–west links). A node on a motorway column off the arterial rows is bridged over.
  for (let y = 0; y < H; y++) {
    let toll = false;
    for (let x = 0; x + 1 < W; x++) {
      if (hw(y) && art(x)) toll = rng.chance(tollRate); // a new section starts at each interchange
      if (!hw(y) && hw(x) && !art(y)) continue; // bridged node: the link over it starts at x - 1
      const bridged = !hw(y) && hw(x + 1) && !art(y);
      const x2 = bridged ? x + 2 : x + 1;
      if (x2 < W) link(node(x, y), node(x2, y), EAST, y, toll);
    }
  }
  // Columns (north–south links), the same way.
  for (let x = 0; x < W; x++) {
    let toll = false;
    for (let y = 0; y + 1 < H; y++) {
      if (hw(x) && art(y)) toll = rng.chance(tollRate);
      if (!hw(x) && hw(y) && !art(x)) continue;
      const bridged = !hw(x) && hw(y + 1) && !art(x);
      const y2 = bridged ? y + 2 : y + 1;
      if (y2 < H) link(node(x, y), node(x, y2), NORTH, x, toll);
    }
  }

  addFerries(b, rng, ferries, W, H, spacing, node);
  addRestrictions(b, rng, W * H, out, inn, restrictionRate, onlyShare);
  return { graph: b.build(), width: W, height: H, node };
}

function addFerries(b: RoadGraphBuilder, rng: Rng, count: number, W: number, H: number, spacing: number, node: (x: number, y: number) => number): void {
  for (let i = 0; i < count; i++) {
    const x = rng.int(W);
    const y = rng.int(H);
    const angle = rng.next() * 2 * Math.PI;
    const r = (3000 + rng.next() * 5000) / spacing;
    const x2 = Math.min(W - 1, Math.max(0, Math.round(x + r * Math.cos(angle))));
    const y2 = Math.min(H - 1, Math.max(0, Math.round(y + r * Math.sin(angle))));
    if ((x2 === x && y2 === y)) continue;
    const straight = Math.hypot(x2 - x, y2 - y) * spacing;
    // A boat does not sail in a straight line between two street corners.
    b.addRoad(node(x, y), node(x2, y2), { length: straight * 1.2, speedKmh: 15, roadClass: RoadClass.ferry });
  }
}

/** `no_*` bans one left/right turn; `only_*` keeps one turn (usually straight on) and bans the rest. */
function addRestrictions(b: RoadGraphBuilder, rng: Rng, n: number, out: Int32Array, inn: Int32Array, rate: number, onlyShare: number): void {
  for (let v = 0; v < n; v++) {
    if (!rng.chance(rate)) continue;
    let degree = 0;
    for (let d = 0; d < 4; d++) if (out[v * 4 + d]! >= 0) degree++;
    if (degree < 3) continue;
    const a = rng.int(4);
    const from = inn[v * 4 + a]!;
    if (from < 0) continue;
    if (rng.chance(onlyShare)) {
      const to = out[v * 4 + a]!; // only_straight_on
      if (to >= 0) b.restrict(from, to, true);
    } else {
      const turn = rng.chance(0.5) ? (a + 1) & 3 : (a + 3) & 3; // a left or a right turn
      const to = out[v * 4 + turn]!;
      if (to >= 0) b.restrict(from, to, false);
    }
  }
}
