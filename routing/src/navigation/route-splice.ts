import { encodePolyline, type NavManeuver } from '@locus/protocol';
import type { TravelTimeModel } from '../cost/cost-model.js';
import { EdgeFlag } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { buildManeuvers, departStep } from '../route/maneuvers.js';
import { stepWithLength } from '../route/step-copy.js';
import { StreetTally } from '../route/street-tally.js';
import type { RouteTrack } from './route-track.js';

/** Where a detour leaves and rejoins a route (indices into the route's edges) and the edges it takes. */
export interface DetourPlan {
  /** The car: on segment `seg`, `fraction` along it. */
  seg: number;
  fraction: number;
  /**
   * The last route edge kept before the detour, and the route edge the detour ends on (its last edge).
   * A detour to a new end (the destination's own road closed: ClosureRepair) has `rejoin` = the
   * route's last edge and ends elsewhere; splices decline it (the route is described whole).
   */
  approach: number;
  rejoin: number;
  /** The detour's edges, from the one after `approach` to the rejoin edge itself. Not changed by a splice. */
  detour: ArrayLike<number>;
  /**
   * What splices of this same detour (same edges, same moment's travel times) share: give every car
   * that takes it the same object and its points, lengths and steps are worked out once.
   */
  share?: DetourShare;
}

/** The steps of one window (a detour with the route edges around it) and the window vertex each starts at. */
interface WindowSteps {
  steps: NavManeuver[];
  startsAt: number[];
  /** Whether a step's distance and duration are set (by the first splice that used it: shared after that, never changed). */
  fixed: boolean[];
}

/**
 * What every route spliced with one detour has in common, made by the first splice that needs it.
 * A closure on a busy road sends hundreds of cars onto a few detours (the same approach, the same best
 * rejoin), and describing a detour — its points, its metres and seconds, its turn-by-turn steps — is
 * most of a splice's work: shared, each further car costs little more than its own kept steps.
 * Valid for the travel times it was measured under (the caller makes a new one per traffic version).
 */
export class DetourShare {
  /** Metres and seconds from the detour's start to the start of each of its edges (m entries). */
  cumM: Float64Array | null = null;
  cumS: Float64Array | null = null;
  /** The detour's inner points (the rejoin edge's start is the last), encoded. */
  polyline = '';
  /** The detour's edges before the rejoin edge by street: runs of one name id, and their metres (for summaries). */
  runName: Int32Array | null = null;
  runMetres: Float64Array | null = null;
  readonly windows = new Map<string, WindowSteps>();

  measure(g: RoadGraph, D: ArrayLike<number>, timing: TravelTimeModel): void {
    const m = D.length;
    const cumM = new Float64Array(m);
    const cumS = new Float64Array(m);
    const flat = new Float64Array(2 * (m - 1));
    for (let k = 0; k < m - 1; k++) {
      const e = D[k]!;
      cumM[k + 1] = cumM[k]! + g.edgeLength[e]!;
      cumS[k + 1] = cumS[k]! + timing.travelSeconds(e);
      const v = g.edgeTarget[e]!;
      flat[2 * k] = g.nodeLat[v]!;
      flat[2 * k + 1] = g.nodeLng[v]!;
    }
    this.polyline = encodePolyline(flat);
    this.cumM = cumM;
    this.cumS = cumS;
    let runs = 0;
    const runName = new Int32Array(Math.max(0, m - 1));
    const runMetres = new Float64Array(Math.max(0, m - 1));
    for (let k = 0; k < m - 1; k++) {
      const id = g.edgeName[D[k]!]!;
      if (runs === 0 || runName[runs - 1] !== id) runName[runs++] = id;
      runMetres[runs - 1]! += g.edgeLength[D[k]!]!;
    }
    this.runName = runName.subarray(0, runs);
    this.runMetres = runMetres.subarray(0, runs);
  }
}

/**
 * A route changed by a detour, described from the old one: its steps (the old step objects where they
 * did not change) and totals, and the change as a client holding the old route needs it (see
 * NavPatch: points kept by index, the new points, maneuvers by index or new). Its edge list is made
 * on first use: the patch does not need it, installing the route does.
 */
export class RouteSplice {
  private built: number[] | null = null;

  constructor(
    private readonly track: RouteTrack,
    private readonly plan: DetourPlan,
    /** [lng, lat] where the new route starts (the car) and ends (as the old one did). */
    readonly start: [number, number],
    readonly end: [number, number],
    readonly distance: number,
    readonly duration: number,
    readonly summary: string,
    readonly maneuvers: NavManeuver[],
    /** For the patch: old points keep[0]..keep[1], then `detour` (encoded), then old points from `resume` on. */
    readonly keep: [number, number],
    readonly detourPolyline: string,
    readonly resume: number,
    /** The new maneuvers, each an old maneuver's index when unchanged. */
    readonly wire: (number | NavManeuver)[],
  ) {}

  get edges(): number[] {
    if (this.built) return this.built;
    const { seg, approach: A, rejoin: R, detour: D } = this.plan;
    const t = this.track.edges;
    const edges = new Array<number>(A - seg + 1 + D.length + (t.length - 1 - R));
    let o = 0;
    for (let i = seg; i <= A; i++) edges[o++] = t[i]!;
    for (let k = 0; k < D.length; k++) edges[o++] = D[k]!;
    for (let i = R + 1; i < t.length; i++) edges[o++] = t[i]!;
    return (this.built = edges);
  }
}

/**
 * Metres and seconds from the new route's start to its vertex v, read from the old track's running
 * sums and the detour's: O(1) per vertex, so a splice never walks the route edge by edge for them.
 */
class SpliceFrame {
  m = 0;
  s = 0;
  private seg = 0;
  private cutM = 0;
  /** New vertex where the detour starts, and where the rejoin edge starts. */
  private detourAt = 0;
  private rejoinAt = 0;
  private rejoin = 0;
  private suffixShift = 0;
  private startM = 0;
  private startS = 0;
  /**
   * Seconds from the start to each kept vertex before the detour, summed forwards: the track's
   * suffix sums cannot be differenced there (the closure ahead makes them Infinity).
   */
  private prefixS = new Float64Array(256);
  private track!: RouteTrack;
  private share!: DetourShare;

  set(track: RouteTrack, share: DetourShare, seg: number, fraction: number, A: number, R: number, m: number): void {
    this.track = track;
    this.share = share;
    this.seg = seg;
    this.cutM = (track.cumM[seg + 1]! - track.cumM[seg]!) * fraction;
    this.detourAt = A - seg + 1;
    this.rejoinAt = this.detourAt + m - 1;
    this.rejoin = R;
    this.suffixShift = A - seg + m - R;
    this.startM = track.cumM[A + 1]! - track.cumM[seg]! - this.cutM;
    const kept = A - seg + 1;
    if (this.prefixS.length < kept + 1) this.prefixS = new Float64Array(2 * (kept + 1));
    const p = this.prefixS;
    p[0] = 0;
    p[1] = track.segS[seg]! * (1 - fraction);
    for (let i = 2; i <= kept; i++) p[i] = p[i - 1]! + track.segS[seg + i - 1]!;
    this.startS = p[kept]!;
  }

  at(v: number): void {
    const t = this.track;
    if (v === 0) {
      this.m = 0;
      this.s = 0;
    } else if (v <= this.detourAt) {
      this.m = t.cumM[v + this.seg]! - t.cumM[this.seg]! - this.cutM;
      this.s = this.prefixS[v]!;
    } else if (v <= this.rejoinAt) {
      const k = v - this.detourAt;
      this.m = this.startM + this.share.cumM![k]!;
      this.s = this.startS + this.share.cumS![k]!;
    } else {
      const u = v - this.suffixShift;
      const k = this.rejoinAt - this.detourAt;
      this.m = this.startM + this.share.cumM![k]! + t.cumM[u]! - t.cumM[this.rejoin]!;
      this.s = this.startS + this.share.cumS![k]! + t.suffixS[this.rejoin]! - t.suffixS[u]!;
    }
  }
}

const frame = new SpliceFrame();
const tally = new StreetTally();

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
  if (isRoundabout(g, track.edges[seg]!)) return null; // the car is in one: its own search decides
  let a0 = A;
  while (a0 > seg && isRoundabout(g, track.edges[a0]!)) a0--;
  if (isRoundabout(g, track.edges[a0]!)) return null;
  let z = Math.min(R + 1, n - 1);
  while (z < n - 1 && isRoundabout(g, track.edges[z]!)) z++;

  const share = plan.share ?? new DetourShare();
  if (share.cumM === null) share.measure(g, D, timing);
  // New vertex j starts new edge j: the kept prefix, the detour, the kept suffix.
  const N = A - seg + 1 + m + (n - 1 - R);
  frame.set(track, share, seg, fraction, A, R, m);
  frame.at(N);
  const totalM = frame.m;
  const totalS = frame.s;
  if (!Number.isFinite(totalS)) return null;
  // Old vertex v → new vertex: the kept prefix and suffix shift by a constant each.
  const prefixShift = -seg;
  const suffixShift = A - seg + m - R;

  // Steps: the new departure, old steps before the detour, the window's steps, old steps after it.
  const out: NavManeuver[] = [];
  const at: number[] = [];
  const wire: (number | NavManeuver)[] = [];
  /** Per step of `out`: the window step it is (its index in the window's steps), or -1. */
  const windowIndex: number[] = [];
  const startLat = track.lat[seg]! + (track.lat[seg + 1]! - track.lat[seg]!) * fraction;
  const startLng = track.lng[seg]! + (track.lng[seg + 1]! - track.lng[seg]!) * fraction;
  const depart = departStep(g, track.edges[seg]!, startLat, startLng);
  out.push(depart);
  at.push(0);
  wire.push(depart);
  windowIndex.push(-1);
  const last = maneuvers.length - 1;
  let k = 1;
  for (; k < last && mv[k]! <= a0; k++) {
    if (mv[k]! <= seg) continue;
    out.push(maneuvers[k]!);
    at.push(mv[k]! + prefixShift);
    wire.push(k);
    windowIndex.push(-1);
  }
  const win = windowStepsOf(g, share, track, a0, A, D, R, z);
  // Window vertex w (w ≥ 1) is new vertex (a0 - seg) + w; its departure and arrival are not steps of the route.
  for (let w = 1; w < win.steps.length - 1; w++) {
    out.push(win.steps[w]!);
    at.push(a0 - seg + win.startsAt[w]!);
    wire.push(win.steps[w]!);
    windowIndex.push(w);
  }
  // Old steps inside the window are replaced; from the vertex after it on they are the same.
  const after = Math.max(z, R) + 1;
  for (; k < last && mv[k]! < after; k++);
  for (; k <= last; k++) {
    out.push(maneuvers[k]!);
    at.push(k === last ? N : mv[k]! + suffixShift);
    wire.push(k);
    windowIndex.push(-1);
  }
  // Each step's metres and seconds. A step object is never changed once a route holds it: an old
  // step whose length changed (it runs into or out of the detour) and a shared window step measured
  // differently by an earlier car are new objects.
  for (let i = 0; i < out.length; i++) {
    const from = at[i]!;
    const to = i + 1 < out.length ? at[i + 1]! : N;
    if (to < from) return null; // the step table does not fit the track
    frame.at(from);
    const m0 = frame.m;
    const s0 = frame.s;
    frame.at(to);
    const len = frame.m - m0;
    const s = frame.s - s0;
    const step = out[i]!;
    const w = windowIndex[i]!;
    if (i === 0) {
      step.distance = len;
      step.duration = s;
    } else if (w >= 0 && !win.fixed[w]) {
      step.distance = len;
      step.duration = s;
      win.fixed[w] = true;
    } else if (Math.abs(step.distance - len) > SAME_STEP_M) {
      const copy = stepWithLength(step, len, s);
      out[i] = copy;
      wire[i] = copy;
    }
  }

  return new RouteSplice(
    track,
    plan,
    [startLng, startLat],
    [track.lng[n]!, track.lat[n]!],
    Math.round(totalM * 10) / 10,
    Math.round(totalS * 10) / 10,
    summaryOf(g, track, seg, fraction, A, R, share),
    out,
    [seg + 1, A + 1],
    share.polyline,
    R + 1,
    wire,
  );
}

function isRoundabout(g: RoadGraph, e: number): boolean {
  return (g.edgeFlags[e]! & EdgeFlag.roundabout) !== 0;
}

/** The window's steps, described once per window of a shared detour (keyed by the route edges around it). */
function windowStepsOf(g: RoadGraph, share: DetourShare, track: RouteTrack, a0: number, A: number, D: ArrayLike<number>, R: number, z: number): WindowSteps {
  const t = track.edges;
  // Almost always one edge each side (a0 = A, z = R + 1); more only around roundabouts.
  let key = `${t[a0]}`;
  for (let i = a0 + 1; i <= A; i++) key += `,${t[i]}`;
  key += '|';
  for (let i = R + 1; i <= z; i++) key += `${t[i]},`;
  let win = share.windows.get(key);
  if (win) return win;
  const windowEdges: number[] = [];
  for (let i = a0; i <= A; i++) windowEdges.push(t[i]!);
  for (let k = 0; k < D.length; k++) windowEdges.push(D[k]!);
  for (let i = R + 1; i <= z; i++) windowEdges.push(t[i]!);
  const startsAt: number[] = [];
  const steps = buildManeuvers(g, windowEdges, NO_METRES, NO_METRES, { lat: 0, lng: 0 }, { lat: 0, lng: 0 }, startsAt);
  win = { steps, startsAt, fixed: steps.map(() => false) };
  share.windows.set(key, win);
  return win;
}

/** The new route's two longest streets, from the kept parts' metres on the track and the detour's edges. */
function summaryOf(g: RoadGraph, track: RouteTrack, seg: number, fraction: number, A: number, R: number, share: DetourShare): string {
  const cumM = track.cumM;
  const t = track.edges;
  tally.add(g, t[seg]!, (cumM[seg + 1]! - cumM[seg]!) * (1 - fraction));
  addSegments(g, track, seg + 1, A);
  const names = share.runName!;
  const metres = share.runMetres!;
  for (let k = 0; k < names.length; k++) tally.addName(g, names[k]!, metres[k]!);
  addSegments(g, track, R, t.length - 1);
  return tally.take(g);
}

/** The metres of track segments a … b (inclusive) to the tally, a street run at a time. */
function addSegments(g: RoadGraph, track: RouteTrack, a: number, b: number): void {
  if (b < a) return;
  const { start, name } = track.streetRuns(g);
  const cumM = track.cumM;
  // The run holding segment a: the last that starts at or before it.
  let lo = 0;
  let hi = name.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (start[mid]! <= a) lo = mid;
    else hi = mid - 1;
  }
  for (let r = lo; r < name.length && start[r]! <= b; r++) {
    const from = Math.max(a, start[r]!);
    const to = Math.min(b + 1, start[r + 1]!);
    tally.addName(g, name[r]!, cumM[to]! - cumM[from]!);
  }
}
