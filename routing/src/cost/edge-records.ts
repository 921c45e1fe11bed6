import { haversineMeters } from '@locus/geo';
import { MAX_EDGES, type RoadGraph } from '../graph/road-graph.js';

const RAD = Math.PI / 180;

/** Bearings are stored in 1/2048 of a turn (0.18°, plenty to classify turns): 11 bits each. */
export const BEARING_UNITS = 2048;
/** Bit of the record's last word set when a banned turn starts from the edge. */
export const RESTRICTED_BIT = 1 << 22;

/**
 * What a costing reads per edge, packed into one 16-byte record per edge and shared by every costing
 * of a graph (computed once, ~0.2 µs per edge):
 *
 *   u32[4e]      source node
 *   u32[4e + 1]  target node
 *   f32[4e + 2]  free-flow seconds (length · 3.6 / speed)
 *   u32[4e + 3]  bearing where the edge starts (bits 0–10) and where it ends (bits 11–21), in
 *                BEARING_UNITS clockwise from north; RESTRICTED_BIT (22): some banned turn starts
 *                from this edge, so the Set of banned turns is looked up only then; EdgeFlag bits
 *                (24–31)
 *
 * Why a record: searches are bound by memory latency, not arithmetic. Costing a turn and an edge
 * from the graph's separate arrays (source, target, length, speed, flags, two bearings) costs a cache
 * miss per array; the out-edges of a node are consecutive ids, so here they share one or two lines.
 * (Looking a float key up in the Set of banned turns costs a hash per relaxation; almost no edge has a
 * restriction, so the bit skips it nearly always.)
 * The graph keeps no shape points, so a curved edge gets the bearings of its chord.
 */
export interface EdgeRecords {
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  /**
   * The smallest free-flow seconds per metre of great-circle distance between an edge's nodes, over
   * all edges (as stored, Float32): the A* bound for any costing never faster than free flow. Taken
   * from the edges themselves rather than the top speed alone, because lengths can be shorter than
   * the straight line (Float32 rounding, imported or hand-written lengths).
   */
  readonly minSecondsPerMeter: number;
  /** The fastest free-flow speed of any edge, km/h (at least graph.maxSpeedKmh). */
  readonly maxSpeedKmh: number;
}

const cache = new WeakMap<RoadGraph, EdgeRecords>();

export function edgeRecords(graph: RoadGraph): EdgeRecords {
  let r = cache.get(graph);
  if (r) return r;
  const m = graph.edgeCount;
  const buffer = new ArrayBuffer(16 * m);
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  const { nodeLat, nodeLng, edgeSource, edgeTarget, edgeSpeed } = graph;
  let spm = Infinity;
  let maxSpeed = graph.maxSpeedKmh;
  for (let e = 0; e < m; e++) {
    writeEdgeRecord(graph, u32, f32, e);
    const seconds = f32[4 * e + 2]!;
    const speed = edgeSpeed[e]!;
    if (speed > maxSpeed) maxSpeed = speed;
    const a = edgeSource[e]!;
    const z = edgeTarget[e]!;
    const straight = haversineMeters(nodeLat[a]!, nodeLng[a]!, nodeLat[z]!, nodeLng[z]!);
    if (straight > 0 && seconds < straight * spm) spm = seconds / straight;
  }
  for (const key of graph.bannedTurns) u32[4 * Math.floor(key / MAX_EDGES) + 3]! |= RESTRICTED_BIT;
  // No edge with a length (a graph of isolated nodes): any bound works.
  if (spm === Infinity) spm = 3.6 / maxSpeed;
  r = { u32, f32, minSecondsPerMeter: spm, maxSpeedKmh: maxSpeed };
  cache.set(graph, r);
  return r;
}

/**
 * Records for a graph whose edges arrive later (LazyTileGraph): empty, with the bounds computed when
 * the whole graph was (the tile manifest keeps them); the graph fills each edge with writeEdgeRecord
 * as it loads it. Every costing of that graph then shares them, as for any graph.
 */
export function emptyEdgeRecords(graph: RoadGraph, minSecondsPerMeter: number, maxSpeedKmh: number): EdgeRecords {
  const buffer = new ArrayBuffer(16 * graph.edgeCount);
  const r: EdgeRecords = { u32: new Uint32Array(buffer), f32: new Float32Array(buffer), minSecondsPerMeter, maxSpeedKmh };
  cache.set(graph, r);
  return r;
}

/** Fills edge e's record from the graph's columns (the restricted bit is set by whoever knows the bans). */
export function writeEdgeRecord(graph: RoadGraph, u32: Uint32Array, f32: Float32Array, e: number): void {
  const { nodeLat, nodeLng, edgeSource, edgeTarget, edgeLength, edgeSpeed, edgeFlags } = graph;
  const a = edgeSource[e]!;
  const z = edgeTarget[e]!;
  const len = edgeLength[e]!;
  u32[4 * e] = a;
  u32[4 * e + 1] = z;
  const speed = edgeSpeed[e]!;
  // A zero speed (a broken import) makes the edge unusable rather than NaN when its length is 0.
  f32[4 * e + 2] = speed > 0 ? (len * 3.6) / speed : Infinity;
  const start = quantize(initialBearing(nodeLat[a]!, nodeLng[a]!, nodeLat[z]!, nodeLng[z]!));
  // The great circle's final bearing at z is the reverse of its initial bearing from z back to a.
  const end = quantize(initialBearing(nodeLat[z]!, nodeLng[z]!, nodeLat[a]!, nodeLng[a]!) + 180);
  u32[4 * e + 3] = (start | (end << 11) | (edgeFlags[e]! << 24)) >>> 0;
}

/** Compass bearing (degrees clockwise from north, [0, 360)) of the great circle from 1 towards 2. */
export function initialBearing(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lng2 - lng1) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  const deg = Math.atan2(y, x) / RAD;
  return deg < 0 ? deg + 360 : deg;
}

function quantize(deg: number): number {
  return Math.round((deg / 360) * BEARING_UNITS) & (BEARING_UNITS - 1);
}
