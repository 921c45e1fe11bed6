/**
 * The road classes a map style draws, from OSM highway=* values. Styles key on the class (a handful of
 * values) rather than on the ~30 highway values in use; the raw value still travels as `highway`.
 */
export type RoadClass = 'motorway' | 'trunk' | 'primary' | 'secondary' | 'tertiary' | 'minor' | 'path';

export const ROAD_CLASSES: readonly RoadClass[] = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'path'];

/**
 * The lowest zoom each class appears at. Below it a class would be sub-pixel clutter that only adds
 * bytes: at z10 a tile spans ~30 km, where footpaths are noise; from z14 (~2 km) they are the map.
 */
export const ROAD_CLASS_MIN_ZOOM: Readonly<Record<RoadClass, number>> = {
  motorway: 10,
  trunk: 10,
  primary: 10,
  secondary: 10,
  tertiary: 11,
  minor: 13,
  path: 14,
};

const BY_HIGHWAY: ReadonlyMap<string, RoadClass> = new Map<string, RoadClass>([
  ['motorway', 'motorway'],
  ['motorway_link', 'motorway'],
  ['trunk', 'trunk'],
  ['trunk_link', 'trunk'],
  ['primary', 'primary'],
  ['primary_link', 'primary'],
  ['secondary', 'secondary'],
  ['secondary_link', 'secondary'],
  ['tertiary', 'tertiary'],
  ['tertiary_link', 'tertiary'],
  ['residential', 'minor'],
  ['unclassified', 'minor'],
  ['living_street', 'minor'],
  ['service', 'minor'],
  // highway=road is "a road of unknown type": drawn, at the least prominent car-road class.
  ['road', 'minor'],
  ['footway', 'path'],
  ['cycleway', 'path'],
  ['path', 'path'],
  ['steps', 'path'],
  ['pedestrian', 'path'],
  ['track', 'path'],
  ['bridleway', 'path'],
]);

/**
 * The class of a highway=* value, or null for ways that are not drawn as roads: construction,
 * proposed, raceway, escape lanes, rest areas (areas mapped as highway=*), platforms, ...
 */
export function roadClassOf(highway: string): RoadClass | null {
  return BY_HIGHWAY.get(highway) ?? null;
}

export function isRoadClass(v: unknown): v is RoadClass {
  // Own keys only: a plain lookup would accept 'toString' and other Object.prototype names.
  return typeof v === 'string' && Object.hasOwn(ROAD_CLASS_MIN_ZOOM, v);
}
