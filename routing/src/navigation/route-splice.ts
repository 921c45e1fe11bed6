import { encodePolyline, type NavManeuver } from '@locus/protocol';
import type { TravelTimeModel } from '../cost/cost-model.js';
import { EdgeFlag } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { buildManeuvers } from '../route/maneuvers.js';
import { routeSummary } from '../route/route-service.js';
import type { RouteTrack } from './route-track.js';

/** Where a detour leaves and rejoins a route (indices into the route's edges) and the edges it takes. */
export interface DetourPlan {
  /** The car: on segment `seg`, `fraction` along it. */
  seg: number;
  fraction: number;
  /** The last route edge kept before the detour, and the route edge the detour ends on (its last edge). */
  approach: number;
  rejoin: number;
  /** The detour's edges, from the one after `approach` to the rejoin edge itself. */
  detour: ArrayLike<number>;
}

/**
 * A route changed by a detour, described from the old one: the new route's edges, its turn-by-turn
 * steps (the old step objects where they did not change) and totals, and the change as a client
 * holding the old route needs it (see NavPatch: points kept by index, the new points, maneuvers by
 * index or new). Built in time proportional to the route's length with little allocation, for the
 * closure storm: it replaces describing the whole new route for every car on the closed road.
 */
export interface RouteSplice {
  edges: number[];
  /** [lng, lat] where the new route starts (the car) and ends (as the old one did). */
  start: [number, number];
  end: [number, number];
  distance: number;
  duration: number;
  summary: string;
  maneuvers: NavManeuver[];
  /** For the patch: old points keep[0]..keep[1], then `detour` (encoded), then old points from `resume` on. */
  keep: [number, number];
  detourPolyline: string;
  resume: number;
  /** The new maneuvers, each an old maneuver's index when unchanged. */
  wire: (number | NavManeuver)[];
}

/** Per-edge metres and running sums of one splice (a closure splices thousands of routes in a row: no arrays per route). */
let scratch = { len: new Float64Array(1024), cum: new Float64Array(1024), sec: new Float64Array(1024) };

/** The window's steps are measured afterwards from the new route's vertices: no per-edge figures for buildManeuvers. */
const NO_METRES: readonly number[] = [];

/** Step lengths that differ by less than this are the same step (float sums of the same edges). */
const SAME_STEP_M = 0.5;

/**
 * Splice `plan` into the route of `track` (segment times current: track.updateTimes) whose steps
 * are `maneuvers` (track.setManeuvers made from them). Null where a splice cannot describe the new
 * route exactly — the car inside a roundabout, a step table that does not fit the track, a closed
 * edge left on the new route — and the caller describes the whole route instead.
 */
export function spliceDetour(g: RoadGraph, track: RouteTrack, maneuvers: readonly NavManeuver[], plan: DetourPlan, timing: TravelTimeModel): RouteSplice | null {
  const { seg, fraction, approach: A, rejoin: R, detour: D } = plan;
  const n = track.segments;
  const m = D.length;
  if (!(seg <= A && A + 1 < R && R < n && m >= 1) || D[m - 1] !== track.edges[R]) return null;
  const mv = track.maneuverVertex;
  if (mv.length !== maneuvers.length || maneuvers.length < 2) return null;
  // The window whose steps are described again: the approach edge, the detour, the edge after the
  // rejoin — widened to whole roundabouts (a roundabout step counts exits along the route, so a
  // roundabout the detour enters or leaves through is described again from its entry to its exit).
  const isRoundabout = (e: number): boolean => (g.edgeFlags[e]! & EdgeFlag.roundabout) !== 0;
  if (isRoundabout(track.edges[seg]!)) return null; // the car is in one: its own search decides
  let a0 = A;
  while (a0 > seg && isRoundabout(track.edges[a0]!)) a0--;
  if (isRoundabout(track.edges[a0]!)) return null;
  let z = Math.min(R + 1, n - 1);
  while (z < n - 1 && isRoundabout(track.edges[z]!)) z++;
  const windowEdges: number[] = [];
  for (let i = a0; i <= A; i++) windowEdges.push(track.edges[i]!);
  for (let k = 0; k < m; k++) windowEdges.push(D[k]!);
  for (let i = R + 1; i <= z; i++) windowEdges.push(track.edges[i]!);

  // New edges and, per new vertex, metres and seconds from the start (vertex j starts edge j).
  const N = A - seg + 1 + m + (n - 1 - R);
  const edges = new Array<number>(N);
  let o = 0;
  for (let i = seg; i <= A; i++) edges[o++] = track.edges[i]!;
  for (let k = 0; k < m; k++) edges[o++] = D[k]!;
  for (let i = R + 1; i < n; i++) edges[o++] = track.edges[i]!;
  // Per new edge its metres and seconds (the kept parts from the track: its partial ends and the
  // live times it holds), then their running sums per vertex.
  if (scratch.len.length < N + 1) scratch = { len: new Float64Array(2 * (N + 1)), cum: new Float64Array(2 * (N + 1)), sec: new Float64Array(2 * (N + 1)) };
  const { len, cum, sec } = scratch;
  cum[0] = 0;
  sec[0] = 0;
  const cumM = track.cumM;
  const segS = track.segS;
  let j = 0;
  len[0] = (cumM[seg + 1]! - cumM[seg]!) * (1 - fraction);
  sec[1] = segS[seg]! * (1 - fraction);
  j = 1;
  for (let i = seg + 1; i <= A; i++, j++) {
    len[j] = cumM[i + 1]! - cumM[i]!;
    sec[j + 1] = segS[i]!;
  }
  for (let k = 0; k < m - 1; k++, j++) {
    len[j] = g.edgeLength[D[k]!]!;
    sec[j + 1] = timing.travelSeconds(D[k]!);
  }
  for (let i = R; i < n; i++, j++) {
    len[j] = cumM[i + 1]! - cumM[i]!;
    sec[j + 1] = segS[i]!;
  }
  for (let q = 0; q < N; q++) {
    cum[q + 1] = cum[q]! + len[q]!;
    sec[q + 1] = sec[q]! + sec[q + 1]!;
  }
  if (!Number.isFinite(sec[N]!)) return null;

  // Old vertex v → new vertex: the kept prefix and suffix shift by a constant each.
  const prefixShift = -seg;
  const suffixShift = A - seg + m - R;

  // Steps: the new departure, old steps before the detour, the window's steps, old steps after it.
  const out: NavManeuver[] = [];
  const at: number[] = [];
  const wire: (number | NavManeuver)[] = [];
  const startLat = track.lat[seg]! + (track.lat[seg + 1]! - track.lat[seg]!) * fraction;
  const startLng = track.lng[seg]! + (track.lng[seg + 1]! - track.lng[seg]!) * fraction;
  const depart = buildManeuvers(g, [edges[0]!], [0], [0], { lat: startLat, lng: startLng }, { lat: startLat, lng: startLng })[0]!;
  out.push(depart);
  at.push(0);
  wire.push(depart);
  const last = maneuvers.length - 1;
  let k = 1;
  for (; k < last && mv[k]! <= a0; k++) {
    if (mv[k]! <= seg) continue;
    out.push(maneuvers[k]!);
    at.push(mv[k]! + prefixShift);
    wire.push(k);
  }
  const startsAt: number[] = [];
  const windowSteps = buildManeuvers(g, windowEdges, NO_METRES, NO_METRES, { lat: 0, lng: 0 }, { lat: 0, lng: 0 }, startsAt);
  // Window vertex w (w ≥ 1) is new vertex (a0 - seg) + w; its departure and arrival are not steps of the route.
  for (let w = 1; w < windowSteps.length - 1; w++) {
    out.push(windowSteps[w]!);
    at.push(a0 - seg + startsAt[w]!);
    wire.push(windowSteps[w]!);
  }
  // Old steps inside the window are replaced; from the vertex after it on they are the same.
  const after = Math.max(z, R) + 1;
  for (; k < last && mv[k]! < after; k++);
  for (; k <= last; k++) {
    out.push(maneuvers[k]!);
    at.push(k === last ? N : mv[k]! + suffixShift);
    wire.push(k);
  }
  // Each step's metres and seconds; an old step whose length changed (it runs into or out of the
  // detour) is a new object. Unchanged old steps keep their seconds as first computed.
  for (let i = 0; i < out.length; i++) {
    const from = at[i]!;
    const to = i + 1 < out.length ? at[i + 1]! : N;
    if (to < from) return null; // the step table does not fit the track
    const len = cum[to]! - cum[from]!;
    const s = sec[to]! - sec[from]!;
    const w = wire[i]!;
    if (typeof w === 'number') {
      if (Math.abs(out[i]!.distance - len) <= SAME_STEP_M) continue;
      const copy: NavManeuver = { ...out[i]!, distance: len, duration: s };
      out[i] = copy;
      wire[i] = copy;
    } else {
      w.distance = len;
      w.duration = s;
    }
  }

  // The points the client adds: the detour's inner vertices (the rejoin edge's start is the last).
  const flat = new Float64Array(2 * (m - 1));
  for (let q = 0; q < m - 1; q++) {
    const v = g.edgeTarget[D[q]!]!;
    flat[2 * q] = g.nodeLat[v]!;
    flat[2 * q + 1] = g.nodeLng[v]!;
  }
  return {
    edges,
    start: [startLng, startLat],
    end: [track.lng[n]!, track.lat[n]!],
    distance: Math.round(cum[N]! * 10) / 10,
    duration: Math.round(sec[N]! * 10) / 10,
    summary: routeSummary(g, edges, len),
    maneuvers: out,
    keep: [seg + 1, A + 1],
    detourPolyline: encodePolyline(flat),
    resume: R + 1,
    wire,
  };
}
