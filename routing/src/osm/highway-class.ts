import { RoadClass, type RoadClassId } from '../graph/road-class.js';

/**
 * highway=* values a car drives on, and their RoadClass. Links join their road's class: a slip road
 * of a motorway is motorway-level for avoid=highways and for the routing levels.
 *
 * `road` (a road of unknown type, usually just mapped from imagery) counts as unclassified.
 * Not here, so never car edges: footway, path, cycleway, steps, pedestrian, bridleway, corridor,
 * bus_guideway, busway, escape (runaway-truck lanes), raceway, construction, proposed, abandoned,
 * platform, rest_area / services (areas), and track (see OPT_IN).
 */
export const CAR_HIGHWAYS: ReadonlyMap<string, RoadClassId> = new Map<string, RoadClassId>([
  ['motorway', RoadClass.motorway],
  ['motorway_link', RoadClass.motorway],
  ['trunk', RoadClass.trunk],
  ['trunk_link', RoadClass.trunk],
  ['primary', RoadClass.primary],
  ['primary_link', RoadClass.primary],
  ['secondary', RoadClass.secondary],
  ['secondary_link', RoadClass.secondary],
  ['tertiary', RoadClass.tertiary],
  ['tertiary_link', RoadClass.tertiary],
  ['unclassified', RoadClass.unclassified],
  ['road', RoadClass.unclassified],
  ['residential', RoadClass.residential],
  ['living_street', RoadClass.living_street],
  ['service', RoadClass.service],
]);

/**
 * Highways that are not for cars unless a car tag says so explicitly (motorcar / motor_vehicle with
 * an open value): a farm track signed for cars is a usable, slow, service-like road.
 */
export const OPT_IN_HIGHWAYS: ReadonlyMap<string, RoadClassId> = new Map<string, RoadClassId>([['track', RoadClass.service]]);

/**
 * service=* values closed to ordinary traffic. Parking aisles, driveways, drive-throughs and alleys
 * are kept: trips start and end in them (a car park, a house), and leaving them out would snap those
 * ends to the wrong street. They get a low default speed instead (SLOW_SERVICE), so routes do not cut
 * through car parks.
 */
export const CLOSED_SERVICES: ReadonlySet<string> = new Set(['emergency_access']);

/** Default km/h of the service roads one crawls along: less than the service class's 20. */
export const SLOW_SERVICE: ReadonlyMap<string, number> = new Map([
  ['parking_aisle', 10],
  ['driveway', 10],
  ['drive-through', 10],
]);
