import { EdgeFlag } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';

export type ManeuverType = 'depart' | 'turn' | 'continue' | 'roundabout' | 'arrive';
export type Modifier = 'straight' | 'slight right' | 'right' | 'sharp right' | 'uturn' | 'sharp left' | 'left' | 'slight left';

export interface Maneuver {
  type: ManeuverType;
  modifier?: Modifier;
  /** The street the step drives on ("" when unnamed). */
  street: string;
  instruction: string;
  /** Metres and seconds of the step that starts here. */
  distance: number;
  duration: number;
  lat: number;
  lng: number;
  /** Roundabout exit number. */
  exit?: number;
}

const RAD = Math.PI / 180;

/**
 * Bearing of edge `e` in degrees from north, clockwise: planar in a local equirectangular frame,
 * which differs from the great-circle initial bearing by far less than a degree over a road edge
 * (metres to a few km) and costs one cosine and one arctangent instead of six calls.
 */
export function edgeBearing(g: RoadGraph, e: number): number {
  const a = g.edgeSource[e]!;
  const b = g.edgeTarget[e]!;
  const dy = g.nodeLat[b]! - g.nodeLat[a]!;
  const dx = (g.nodeLng[b]! - g.nodeLng[a]!) * Math.cos(g.nodeLat[a]! * RAD);
  const deg = Math.atan2(dx, dy) / RAD;
  return deg < 0 ? deg + 360 : deg;
}

/**
 * Edge bearings computed once per edge and kept (8 bytes per edge of the graph): a closure reroutes
 * thousands of routes over the same streets, and the bearing is most of a step's cost. Not for a
 * lazily loaded graph (an edge's nodes are placed as its tile loads).
 */
const bearingCache = new WeakMap<RoadGraph, Float64Array>();
function bearingsOf(g: RoadGraph): Float64Array | null {
  if (g.lazy) return null;
  let b = bearingCache.get(g);
  if (!b || b.length !== g.edgeCount) {
    b = new Float64Array(g.edgeCount).fill(Number.NaN);
    bearingCache.set(g, b);
  }
  return b;
}

/** Signed turn angle in (-180, 180]: positive turns right. */
export function signedTurnAngle(fromBearing: number, toBearing: number): number {
  let a = toBearing - fromBearing;
  while (a > 180) a -= 360;
  while (a <= -180) a += 360;
  return a;
}

export function modifierOf(angle: number): Modifier {
  const a = Math.abs(angle);
  const side = angle > 0 ? 'right' : 'left';
  if (a < 20) return 'straight';
  if (a < 45) return `slight ${side}`;
  if (a < 135) return side;
  if (a < 170) return `sharp ${side}`;
  return 'uturn';
}

const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'];
const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

function turnInstruction(type: 'turn' | 'continue', modifier: Modifier, street: string): string {
  const onto = street ? ` onto ${street}` : '';
  if (type === 'continue') return `Continue${onto || ' straight'}`;
  if (modifier === 'uturn') return `Make a U-turn${onto}`;
  if (modifier.startsWith('slight')) return `Turn slightly ${modifier.slice(7)}${onto}`;
  if (modifier.startsWith('sharp')) return `Turn sharp ${modifier.slice(6)}${onto}`;
  return `Turn ${modifier}${onto}`;
}

/**
 * The first step of a route that starts at (lat, lng) on edge `e` (metres and seconds 0: the caller
 * sets them), as buildManeuvers makes it. A closure's patch starts each car's new route with one.
 */
export function departStep(g: RoadGraph, e: number, lat: number, lng: number): Maneuver {
  const street = g.names[g.edgeName[e]!] ?? '';
  const heading = COMPASS[Math.round(edgeBearing(g, e) / 45) % 8];
  return { type: 'depart', street, instruction: `Head ${heading}${street ? ` on ${street}` : ''}`, distance: 0, duration: 0, lat, lng };
}

/**
 * Turn-by-turn steps for a route given as its edges with the metres and seconds driven on each
 * (partial first and last edges included). A step starts where the street name changes or the road
 * turns by 45° or more; a run of roundabout edges is one step that counts the exits passed.
 */
export function buildManeuvers(
  g: RoadGraph,
  edges: readonly number[],
  metres: readonly number[],
  seconds: readonly number[],
  start: { lat: number; lng: number },
  end: { lat: number; lng: number },
  /** Filled (when given) with the index into `edges` where each maneuver starts (the arrival: edges.length). */
  startsAt?: number[],
): Maneuver[] {
  const out: Maneuver[] = [];
  if (edges.length === 0) return out;
  // One object per step, made whole when the step starts (a literal per kind: no spread copies, no
  // object per edge); the step's metres and seconds are summed in locals and written when it ends.
  const name = (e: number): string => g.names[g.edgeName[e]!] ?? '';
  const cache = bearingsOf(g);
  const bearingOf = (e: number): number => {
    if (!cache) return edgeBearing(g, e);
    let b = cache[e]!;
    if (b !== b) cache[e] = b = edgeBearing(g, e);
    return b;
  };
  const first = edges[0]!;
  let current: Maneuver = departStep(g, first, start.lat, start.lng);
  out.push(current);
  startsAt?.push(0);
  let dist = 0;
  let dur = 0;
  let prevBearing = bearingOf(first);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (i > 0) {
      const prev = edges[i - 1]!;
      const inRoundabout = (g.edgeFlags[e]! & EdgeFlag.roundabout) !== 0;
      const wasRoundabout = (g.edgeFlags[prev]! & EdgeFlag.roundabout) !== 0;
      const bearing = bearingOf(e);
      const angle = signedTurnAngle(prevBearing, bearing);
      prevBearing = bearing;
      let step: Maneuver | null = null;
      if (inRoundabout && !wasRoundabout) {
        // Count the exits (other roads leaving the roundabout) until we leave it.
        let exits = 0;
        let j = i;
        for (; j < edges.length && (g.edgeFlags[edges[j]!]! & EdgeFlag.roundabout) !== 0; j++) {
          const v = g.edgeTarget[edges[j]!]!;
          for (let k = g.firstOut[v]!; k < g.firstOut[v + 1]!; k++) if ((g.edgeFlags[k]! & EdgeFlag.roundabout) === 0) { exits++; break; }
        }
        const leave = j < edges.length ? edges[j]! : e;
        const node = g.edgeSource[e]!;
        const street = name(leave);
        const exit = Math.max(1, exits);
        step = { type: 'roundabout', street, instruction: `At the roundabout, take the ${ordinal(exit)} exit${street ? ` onto ${street}` : ''}`, distance: 0, duration: 0, lat: g.nodeLat[node]!, lng: g.nodeLng[node]!, exit };
      } else if (!inRoundabout && !wasRoundabout && (g.edgeName[e] !== g.edgeName[prev] || Math.abs(angle) >= 45)) {
        const modifier = modifierOf(angle);
        const node = g.edgeSource[e]!;
        const street = name(e);
        const type = modifier === 'straight' ? 'continue' : 'turn';
        step = { type, modifier, street, instruction: turnInstruction(type, modifier, street), distance: 0, duration: 0, lat: g.nodeLat[node]!, lng: g.nodeLng[node]! };
      }
      if (step) {
        current.distance = dist;
        current.duration = dur;
        dist = 0;
        dur = 0;
        current = step;
        out.push(current);
        startsAt?.push(i);
      }
    }
    dist += metres[i] ?? 0;
    dur += seconds[i] ?? 0;
  }
  current.distance = dist;
  current.duration = dur;
  startsAt?.push(edges.length);
  out.push({ type: 'arrive', street: name(edges[edges.length - 1]!), instruction: 'Arrive at your destination', distance: 0, duration: 0, lat: end.lat, lng: end.lng });
  return out;
}
