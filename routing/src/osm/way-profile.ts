import { DEFAULT_SPEED_KMH, EdgeFlag, ROAD_CLASS_NAMES, RoadClass, type RoadClassId } from '../graph/road-class.js';
import { carAccess, explicitCarAccess } from './car-access.js';
import { CAR_HIGHWAYS, CLOSED_SERVICES, OPT_IN_HIGHWAYS, SLOW_SERVICE } from './highway-class.js';
import { parseDurationHours } from './duration.js';
import { parseMaxspeed } from './maxspeed.js';
import { isRoundabout, onewayOf } from './oneway.js';
import type { OsmTags } from './osm-item.js';

/** How a car edge made from a way looks, before the way's nodes are known. */
export interface WayProfile {
  readonly roadClass: RoadClassId;
  /** Drivable in drawing direction / against it. */
  readonly forward: boolean;
  readonly backward: boolean;
  /** km/h per direction (maxspeed:forward / :backward override maxspeed). */
  readonly speedForward: number;
  readonly speedBackward: number;
  /** EdgeFlag bits (the builder adds `ferry` itself for the ferry class). */
  readonly flags: number;
  /** name, else ref ("A8"): what a driving instruction calls the road. */
  readonly name: string;
  /** Car ferry crossing time from duration=*, hours: the importer turns it into a speed once it knows the length. */
  readonly ferryHours?: number;
}

/** Why a way makes no edge. */
export type WaySkipReason =
  /** Neither highway=* nor route=ferry: buildings, rivers, boundaries… */
  | 'notRoad'
  /** A highway cars do not use (footway, path, steps, construction, unknown values…). */
  | 'notForCars'
  /** Car access denied (access / vehicle / motor_vehicle / motorcar = no, private…). */
  | 'noAccess'
  /** area=yes: a surface (a square, a car park outline), not a line to drive along. */
  | 'area'
  /** route=ferry without motorcar / motor_vehicle allowing cars. */
  | 'passengerFerry'
  /** oneway=reversible / alternating: the allowed direction depends on the time. */
  | 'reversible'
  /**
   * No two consecutive distinct nodes inside the extract: the way lies outside it, or has one node
   * (Monaco has two such residential ways). Set by the importer, not here.
   */
  | 'noSegment';

/** Decide from a way's tags whether it is a car road and how it is driven. */
export function wayProfile(tags: OsmTags | undefined): WayProfile | WaySkipReason {
  if (tags === undefined) return 'notRoad';
  if (tags.route === 'ferry') return explicitCarAccess(tags) === 'yes' ? profile(tags, RoadClass.ferry) : 'passengerFerry';
  const highway = tags.highway;
  if (highway === undefined) return 'notRoad';
  if (tags.area === 'yes') return 'area';
  let roadClass = CAR_HIGHWAYS.get(highway);
  if (roadClass === undefined) {
    roadClass = OPT_IN_HIGHWAYS.get(highway);
    if (roadClass === undefined || explicitCarAccess(tags) !== 'yes') return 'notForCars';
  }
  if (carAccess(tags) === 'no') return 'noAccess';
  if (highway === 'service' && tags.service !== undefined && CLOSED_SERVICES.has(tags.service)) return 'noAccess';
  return profile(tags, roadClass);
}

function profile(tags: OsmTags, roadClass: RoadClassId): WayProfile | WaySkipReason {
  const oneway = onewayOf(tags);
  if (oneway === 'reversible') return 'reversible';
  const base = parseMaxspeed(tags.maxspeed, roadClass) ?? defaultSpeed(tags, roadClass);
  const p: WayProfile = {
    roadClass,
    forward: oneway !== 'backward',
    backward: oneway !== 'forward',
    speedForward: parseMaxspeed(tags['maxspeed:forward'], roadClass) ?? base,
    speedBackward: parseMaxspeed(tags['maxspeed:backward'], roadClass) ?? base,
    flags: flagsOf(tags, roadClass),
    name: tags.name ?? tags.ref ?? '',
  };
  const hours = roadClass === RoadClass.ferry ? parseDurationHours(tags.duration) : undefined;
  return hours === undefined ? p : { ...p, ferryHours: hours };
}

/**
 * Without a usable maxspeed: the class default. The edge speed is the posted limit itself, not a
 * fraction of it: free-flow ETA realism (signals, bends, congestion) is the live-traffic layer's job,
 * and a plain rule keeps imported speeds checkable against the map.
 */
function defaultSpeed(tags: OsmTags, roadClass: RoadClassId): number {
  if (roadClass === RoadClass.service && tags.service !== undefined) {
    const slow = SLOW_SERVICE.get(tags.service);
    if (slow !== undefined) return slow;
  }
  return DEFAULT_SPEED_KMH[ROAD_CLASS_NAMES[roadClass]!];
}

function flagsOf(tags: OsmTags, roadClass: RoadClassId): number {
  let flags = 0;
  if ((tags['toll:motorcar'] ?? tags.toll) === 'yes') flags |= EdgeFlag.toll;
  if (roadClass === RoadClass.motorway || roadClass === RoadClass.trunk) flags |= EdgeFlag.highway;
  // junction=circular (a rotary without roundabout priority rules) is driven the same way: "take the Nth exit".
  if (isRoundabout(tags)) flags |= EdgeFlag.roundabout;
  return flags;
}
