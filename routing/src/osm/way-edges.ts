import { haversineMeters } from '@locus/geo';
import type { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { GraphNodes } from './graph-nodes.js';
import type { NodeCoords } from './node-coords.js';
import type { SegmentTable } from './segment-table.js';
import type { WayProfile } from './way-profile.js';

/**
 * Distinct OSM nodes can share coordinates (mapping slips); a 0 m edge would make anything that
 * divides by the length (snapping offsets, speeds from traffic probes) blow up. 1 cm is one unit of
 * OSM's coordinate precision.
 */
export const MIN_EDGE_LENGTH_M = 0.01;
/** Ferry speeds computed from duration=* are clamped to this range (km/h): outside it, the tag is wrong. */
const FERRY_KMH_MIN = 2;
const FERRY_KMH_MAX = 80;

export interface WayEdgesResult {
  /** Segments that became edges (0 = the way lies outside the extract). */
  segments: number;
  /** A node of the way was missing from the extract: the way was cut there. */
  split: boolean;
}

export interface WayEdgesContext {
  readonly coords: NodeCoords;
  readonly nodes: GraphNodes;
  readonly builder: RoadGraphBuilder;
  readonly segments: SegmentTable;
}

/**
 * Turns a kept way into edges: one per direction allowed for each pair of consecutive nodes both
 * present in the extract. A missing node (the way leaves the extract there) cuts the way: the
 * segments touching it are dropped, never bridged, since the road runs outside between them.
 */
export function addWayEdges(wayId: number, refs: readonly number[], p: WayProfile, ctx: WayEdgesContext): WayEdgesResult {
  const c = ctx.coords;
  const slots = new Int32Array(refs.length);
  let split = false;
  for (let i = 0; i < refs.length; i++) {
    slots[i] = c.find(refs[i]!);
    if (slots[i]! < 0) split = true;
  }
  const lengths = new Float64Array(Math.max(0, refs.length - 1));
  let total = 0;
  for (let i = 0; i + 1 < refs.length; i++) {
    const a = slots[i]!;
    const b = slots[i + 1]!;
    if (a < 0 || b < 0 || a === b) continue;
    lengths[i] = Math.max(MIN_EDGE_LENGTH_M, haversineMeters(c.lat(a), c.lng(a), c.lat(b), c.lng(b)));
    total += lengths[i]!;
  }
  const [speedForward, speedBackward] = speeds(p, total, split);

  ctx.segments.beginWay(wayId);
  let made = 0;
  for (let i = 0; i + 1 < refs.length; i++) {
    if (lengths[i] === 0) continue; // a missing end, or the same node twice in a row
    const from = ctx.nodes.use(slots[i]!);
    const to = ctx.nodes.use(slots[i + 1]!);
    const common = { length: lengths[i]!, roadClass: p.roadClass, flags: p.flags, way: wayId, name: p.name };
    const fwd = p.forward ? ctx.builder.addEdge({ ...common, from, to, speedKmh: speedForward, forward: true }) : -1;
    const bwd = p.backward ? ctx.builder.addEdge({ ...common, from: to, to: from, speedKmh: speedBackward, forward: false }) : -1;
    ctx.segments.add(from, to, fwd, bwd);
    made++;
  }
  ctx.segments.forgetWayIfEmpty(wayId);
  return { segments: made, split };
}

/**
 * A car ferry's duration=* covers the whole crossing, so it gives a speed only when the whole way is
 * in the extract; a clipped ferry keeps the class default.
 */
function speeds(p: WayProfile, lengthM: number, split: boolean): [number, number] {
  if (p.ferryHours === undefined || split || lengthM === 0) return [p.speedForward, p.speedBackward];
  const kmh = Math.min(FERRY_KMH_MAX, Math.max(FERRY_KMH_MIN, lengthM / 1000 / p.ferryHours));
  return [kmh, kmh];
}
