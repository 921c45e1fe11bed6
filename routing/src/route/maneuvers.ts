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

export function edgeBearing(g: RoadGraph, e: number): number {
  const a = g.edgeSource[e]!;
  const b = g.edgeTarget[e]!;
  const p1 = g.nodeLat[a]! * RAD;
  const p2 = g.nodeLat[b]! * RAD;
  const dl = (g.nodeLng[b]! - g.nodeLng[a]!) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return (Math.atan2(y, x) / RAD + 360) % 360;
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

function instruction(m: Omit<Maneuver, 'instruction'>, bearing: number): string {
  const onto = m.street ? ` onto ${m.street}` : '';
  switch (m.type) {
    case 'depart':
      return `Head ${COMPASS[Math.round(bearing / 45) % 8]}${m.street ? ` on ${m.street}` : ''}`;
    case 'arrive':
      return 'Arrive at your destination';
    case 'roundabout':
      return `At the roundabout, take the ${ordinal(m.exit ?? 1)} exit${onto}`;
    case 'continue':
      return `Continue${onto || ' straight'}`;
    case 'turn':
      if (m.modifier === 'uturn') return `Make a U-turn${onto}`;
      if (m.modifier?.startsWith('slight')) return `Turn slightly ${m.modifier.slice(7)}${onto}`;
      if (m.modifier?.startsWith('sharp')) return `Turn sharp ${m.modifier.slice(6)}${onto}`;
      return `Turn ${m.modifier ?? 'straight'}${onto}`;
  }
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
): Maneuver[] {
  const out: Maneuver[] = [];
  if (edges.length === 0) return out;
  const name = (e: number): string => g.names[g.edgeName[e]!] ?? '';
  const push = (m: Omit<Maneuver, 'instruction'>, bearing: number): void => {
    out.push({ ...m, instruction: instruction(m, bearing) });
  };
  const first = edges[0]!;
  push({ type: 'depart', street: name(first), distance: 0, duration: 0, lat: start.lat, lng: start.lng }, edgeBearing(g, first));
  let current = out[0]!;
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (i > 0) {
      const prev = edges[i - 1]!;
      const node = g.edgeSource[e]!;
      const inRoundabout = (g.edgeFlags[e]! & EdgeFlag.roundabout) !== 0;
      const wasRoundabout = (g.edgeFlags[prev]! & EdgeFlag.roundabout) !== 0;
      const angle = signedTurnAngle(edgeBearing(g, prev), edgeBearing(g, e));
      const at = { lat: g.nodeLat[node]!, lng: g.nodeLng[node]! };
      if (inRoundabout && !wasRoundabout) {
        // Count the exits (other roads leaving the roundabout) until we leave it.
        let exits = 0;
        let j = i;
        for (; j < edges.length && (g.edgeFlags[edges[j]!]! & EdgeFlag.roundabout) !== 0; j++) {
          const v = g.edgeTarget[edges[j]!]!;
          for (let k = g.firstOut[v]!; k < g.firstOut[v + 1]!; k++) if ((g.edgeFlags[k]! & EdgeFlag.roundabout) === 0) { exits++; break; }
        }
        const leave = j < edges.length ? edges[j]! : e;
        push({ type: 'roundabout', street: name(leave), distance: 0, duration: 0, ...at, exit: Math.max(1, exits) }, 0);
        current = out[out.length - 1]!;
      } else if (!inRoundabout && !wasRoundabout && (name(e) !== name(prev) || Math.abs(angle) >= 45)) {
        const modifier = modifierOf(angle);
        push({ type: modifier === 'straight' ? 'continue' : 'turn', modifier, street: name(e), distance: 0, duration: 0, ...at }, 0);
        current = out[out.length - 1]!;
      }
    }
    current.distance += metres[i] ?? 0;
    current.duration += seconds[i] ?? 0;
  }
  push({ type: 'arrive', street: name(edges[edges.length - 1]!), distance: 0, duration: 0, lat: end.lat, lng: end.lng }, 0);
  return out;
}
