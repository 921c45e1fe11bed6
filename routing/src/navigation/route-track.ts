import { haversineMeters } from '@locus/geo';
import type { TravelTimeModel } from '../cost/cost-model.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { TrackBuffers } from './track-buffers.js';

const RAD = Math.PI / 180;
const EARTH_M = 6_371_008.8;

/** Runs of route edges on one street: run r is segments start[r] … start[r + 1] - 1, on street name[r] (a name id). */
export interface StreetRuns {
  start: Int32Array;
  name: Int32Array;
}

/** Where a fix falls on a route: filled in place by RouteTrack.matchInto (no allocation per fix). */
export interface TrackMatch {
  /** Index of the matched segment (= index into the route's edges). */
  segment: number;
  /** 0..1 along that segment. */
  fraction: number;
  /** Metres from the fix to the route (perpendicular to the matched segment). */
  offRouteM: number;
  /** Metres from the route's start to the projection. */
  alongM: number;
}

/** A track's arrays made by the caller (taken, not copied): the vertices and metres to each, and optionally the rest. */
export interface TrackArrays {
  lat: Float64Array;
  lng: Float64Array;
  cumM: Float64Array;
  segS?: Float64Array;
  suffixS?: Float64Array;
  edges?: Int32Array;
}

export function emptyMatch(): TrackMatch {
  return { segment: 0, fraction: 0, offRouteM: 0, alongM: 0 };
}

/**
 * A route as a navigating client drives it: vertices, the directed edge of each segment, cumulative
 * metres and per-segment seconds (with suffix sums, so "time remaining" is O(1) per fix). Segment i runs
 * from vertex i to i+1 along edges[i] (the first and last may be parts of their edges).
 */
export class RouteTrack {
  readonly lat: Float64Array;
  readonly lng: Float64Array;
  readonly edges: Int32Array;
  /** Metres from the start to each vertex. */
  readonly cumM: Float64Array;
  readonly totalM: number;
  /** Seconds per segment at the speeds in force when last updated, and their suffix sums. */
  readonly segS: Float64Array;
  readonly suffixS: Float64Array;
  /** Metres from the start at which each maneuver begins (set by setManeuvers). */
  maneuverAlong: Float64Array = new Float64Array(0);

  /** The one buffer all the arrays above are views of, when it came from a TrackBuffers (see release). */
  private storage: ArrayBuffer | null = null;

  /** `coords` are [lng, lat] (GeoJSON order), one more than `edges`. */
  constructor(coords: readonly (readonly [number, number])[], edges: ArrayLike<number>);
  /** Vertices already in typed arrays (taken, not copied), with metres from the start to each. */
  constructor(vertices: TrackArrays, edges: ArrayLike<number>);
  constructor(coords: readonly (readonly [number, number])[] | TrackArrays, edges: ArrayLike<number>) {
    const n = edges.length;
    const given = 'cumM' in coords ? coords : null;
    const count = given ? given.lat.length : (coords as readonly unknown[]).length;
    if (n < 1 || count !== n + 1) throw new RangeError(`a route track needs n ≥ 1 edges and n + 1 vertices (got ${n}, ${count})`);
    this.edges = given?.edges ?? Int32Array.from(edges);
    if (given) {
      this.lat = given.lat;
      this.lng = given.lng;
      this.cumM = given.cumM;
    } else {
      const pairs = coords as readonly (readonly [number, number])[];
      this.lat = new Float64Array(n + 1);
      this.lng = new Float64Array(n + 1);
      this.cumM = new Float64Array(n + 1);
      for (let i = 0; i <= n; i++) {
        const c = pairs[i]!;
        this.lng[i] = c[0];
        this.lat[i] = c[1];
        if (i > 0) this.cumM[i] = this.cumM[i - 1]! + haversineMeters(this.lat[i - 1]!, this.lng[i - 1]!, c[1], c[0]);
      }
    }
    this.totalM = this.cumM[n]!;
    this.segS = given?.segS ?? new Float64Array(n);
    this.suffixS = given?.suffixS ?? new Float64Array(n + 1);
  }

  /**
   * The track of a route given as edges of `graph` (edges are straight between their nodes): the
   * vertices between the edges are the graph's nodes, the first and last ([lng, lat]) the points
   * where the route starts and ends on its first and last edge. What a stored session keeps instead
   * of its geometry. Whole edges measure their graph length (what route distances and maneuver
   * steps are made of); the partial first and last ones the distance to their ends.
   */
  static alongEdges(graph: RoadGraph, edges: ArrayLike<number>, start: readonly [number, number], end: readonly [number, number], buffers?: TrackBuffers): RouteTrack {
    const n = edges.length;
    if (n < 1) throw new RangeError('a route track needs n ≥ 1 edges');
    // Every array of the track in one buffer: one allocation instead of six, or none (see TrackBuffers).
    const v = n + 1;
    const bytes = 8 * (4 * v + n) + 4 * n;
    const storage = buffers ? buffers.take(bytes) : new ArrayBuffer(bytes);
    const arrays: TrackArrays = {
      lat: new Float64Array(storage, 0, v),
      lng: new Float64Array(storage, 8 * v, v),
      cumM: new Float64Array(storage, 16 * v, v),
      suffixS: new Float64Array(storage, 24 * v, v),
      segS: new Float64Array(storage, 32 * v, n),
      edges: new Int32Array(storage, 32 * v + 8 * n, n),
    };
    const { lat, lng, cumM } = arrays;
    for (let i = 0; i < n; i++) arrays.edges![i] = edges[i]!;
    lng[0] = start[0];
    lat[0] = start[1];
    lng[n] = end[0];
    lat[n] = end[1];
    for (let i = 1; i < n; i++) {
      const v = graph.edgeSource[edges[i]!]!;
      lat[i] = graph.nodeLat[v]!;
      lng[i] = graph.nodeLng[v]!;
    }
    for (let i = 1; i <= n; i++) {
      const whole = i > 1 && i < n;
      cumM[i] = cumM[i - 1]! + (whole ? graph.edgeLength[edges[i - 1]!]! : haversineMeters(lat[i - 1]!, lng[i - 1]!, lat[i]!, lng[i]!));
    }
    const track = new RouteTrack(arrays, edges);
    if (buffers) track.storage = storage;
    return track;
  }

  /**
   * Hand the track's storage back to `buffers` (a track made by alongEdges with them): for a route
   * that was replaced and that nothing reads any more. From then on the track reads as empty.
   */
  release(buffers: TrackBuffers): void {
    if (!this.storage) return;
    buffers.give(this.storage);
    this.storage = null;
  }

  get segments(): number {
    return this.edges.length;
  }

  /**
   * Seconds of every segment under `costing` (live speeds where set): the whole edge's travel time
   * times the share of the edge the segment covers. Infinity where an edge is closed.
   */
  updateTimes(graph: RoadGraph, costing: TravelTimeModel): void {
    costing.beginQuery?.();
    const n = this.edges.length;
    for (let i = 0; i < n; i++) this.segS[i] = this.segmentSeconds(graph, costing, i);
    this.sumTimes(n);
  }

  /**
   * updateTimes for the segments at `positions` only (the first `count`): the same times when no other
   * edge's speed changed since the last update. A traffic event names the route positions it changed
   * (the session index), and a full update costs ~30 µs per car on a 1,700-edge route — per car of a
   * closure that reroutes a thousand.
   */
  updateTimesAt(graph: RoadGraph, costing: TravelTimeModel, positions: ArrayLike<number>, count: number): void {
    costing.beginQuery?.();
    const n = this.edges.length;
    let last = -1;
    for (let k = 0; k < count; k++) {
      const i = positions[k]!;
      if (i < 0 || i >= n) continue;
      this.segS[i] = this.segmentSeconds(graph, costing, i);
      if (i > last) last = i;
    }
    if (last >= 0) this.sumTimes(last + 1);
  }

  /** The whole edge's travel time times the share of the edge segment i covers. */
  segmentSeconds(graph: RoadGraph, costing: TravelTimeModel, i: number): number {
    const e = this.edges[i]!;
    const len = graph.edgeLength[e]!;
    const part = len > 0 ? Math.min(1, (this.cumM[i + 1]! - this.cumM[i]!) / len) : 1;
    return costing.travelSeconds(e) * part;
  }

  /** Suffix sums of the segment times from segment `upTo` - 1 down (those after it are current). */
  private sumTimes(upTo: number): void {
    const n = this.edges.length;
    if (upTo >= n) this.suffixS[n] = 0;
    for (let i = Math.min(upTo, n) - 1; i >= 0; i--) this.suffixS[i] = this.suffixS[i + 1]! + this.segS[i]!;
  }

  /** Maneuver start positions along the route, from the step lengths (scaled to this track's length). */
  setManeuvers(stepMetres: readonly number[]): void {
    const sum = stepMetres.reduce((a, b) => a + b, 0);
    const scale = sum > 0 ? this.totalM / sum : 0;
    this.maneuverAlong = new Float64Array(stepMetres.length);
    this.maneuverVertex = new Int32Array(stepMetres.length);
    let at = 0;
    let v = 0;
    const n = this.edges.length;
    for (let i = 0; i < stepMetres.length; i++) {
      this.maneuverAlong[i] = at;
      // Steps start at vertices: the one nearest to where this step starts (walked forward, steps are in order).
      while (v < n && Math.abs(this.cumM[v + 1]! - at) <= Math.abs(this.cumM[v]! - at)) v++;
      this.maneuverVertex[i] = i === stepMetres.length - 1 && i > 0 ? n : v;
      at += stepMetres[i]! * scale;
    }
  }

  private runs: StreetRuns | null = null;

  /**
   * The route as runs of consecutive edges on one street, made once per track: what the summary of a
   * changed route (its two longest streets) adds up in tens of runs instead of every edge — per car,
   * in a closure that reroutes a thousand (see spliceDetour). Callers make it ahead where they can
   * (a navigation session's track when it is installed), so the closure answer reads it.
   */
  streetRuns(graph: RoadGraph): StreetRuns {
    if (this.runs) return this.runs;
    const t = this.edges;
    const n = t.length;
    let count = 0;
    for (let i = 0; i < n; i++) if (i === 0 || graph.edgeName[t[i]!] !== graph.edgeName[t[i - 1]!]) count++;
    const start = new Int32Array(count + 1);
    const name = new Int32Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const id = graph.edgeName[t[i]!]!;
      if (k === 0 || id !== name[k - 1]) {
        start[k] = i;
        name[k++] = id;
      }
    }
    start[count] = n;
    return (this.runs = { start, name });
  }

  /** The vertex each maneuver starts at (set by setManeuvers; the last, the arrival, at the end). */
  maneuverVertex: Int32Array = new Int32Array(0);

  /** Index of the first maneuver that starts beyond `alongM` (-1 when none is left). */
  nextManeuver(alongM: number): number {
    const m = this.maneuverAlong;
    for (let i = 0; i < m.length; i++) if (m[i]! > alongM + 1) return i;
    return -1;
  }

  /**
   * Project a fix onto the route, looking from segment `from` (one segment back, for jitter) to
   * `aheadM` metres ahead of it: a route that passes the same place twice is matched where the
   * driver is, not where the route returns later.
   */
  matchInto(lat: number, lng: number, from: number, aheadM: number, out: TrackMatch): TrackMatch {
    const n = this.edges.length;
    const start = from > 0 ? Math.min(from - 1, n - 1) : 0;
    const limit = this.cumM[Math.min(Math.max(from, 0), n - 1)]! + aheadM;
    const kx = Math.cos(lat * RAD) * RAD * EARTH_M;
    const ky = RAD * EARTH_M;
    let best = Infinity;
    let bestSeg = start;
    let bestF = 0;
    for (let i = start; i < n; i++) {
      if (i > start && this.cumM[i]! > limit) break;
      // Local equirectangular frame centred on the fix: metres, exact enough over a few km.
      const ax = (this.lng[i]! - lng) * kx;
      const ay = (this.lat[i]! - lat) * ky;
      const dx = (this.lng[i + 1]! - lng) * kx - ax;
      const dy = (this.lat[i + 1]! - lat) * ky - ay;
      const len2 = dx * dx + dy * dy;
      let f = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
      if (f < 0) f = 0;
      else if (f > 1) f = 1;
      const px = ax + f * dx;
      const py = ay + f * dy;
      const d2 = px * px + py * py;
      // Strictly better only: on a tie the earlier segment wins (a vertex shared by two segments).
      if (d2 < best) {
        best = d2;
        bestSeg = i;
        bestF = f;
      }
    }
    out.segment = bestSeg;
    out.fraction = bestF;
    out.offRouteM = Math.sqrt(best);
    out.alongM = this.cumM[bestSeg]! + bestF * (this.cumM[bestSeg + 1]! - this.cumM[bestSeg]!);
    return out;
  }

  /**
   * Seconds left from a match to the end, at the speeds of the last updateTimes. `ownSeconds`: the
   * time of the segment the match is on, when not its updated one (a car already on a segment that
   * has closed since drives out of it).
   */
  remainingSeconds(m: TrackMatch, ownSeconds = this.segS[m.segment]!): number {
    return ownSeconds * (1 - m.fraction) + this.suffixS[m.segment + 1]!;
  }

  remainingMeters(m: TrackMatch): number {
    return Math.max(0, this.totalM - m.alongM);
  }
}
