/**
 * Road classes a car may use, best first, and the routing level each belongs to (issue 4: highway =
 * motorway / trunk / primary, arterial = secondary / tertiary, local = the rest). Ferry is a class of
 * its own (a car ferry line).
 */
export const RoadClass = {
  motorway: 0,
  trunk: 1,
  primary: 2,
  secondary: 3,
  tertiary: 4,
  unclassified: 5,
  residential: 6,
  living_street: 7,
  service: 8,
  ferry: 9,
} as const;
export type RoadClassName = keyof typeof RoadClass;
export type RoadClassId = (typeof RoadClass)[RoadClassName];

export const ROAD_CLASS_NAMES: readonly RoadClassName[] = Object.keys(RoadClass) as RoadClassName[];

export const Level = { highway: 0, arterial: 1, local: 2 } as const;
export type LevelId = (typeof Level)[keyof typeof Level];

export function levelOf(c: number): LevelId {
  if (c <= RoadClass.primary) return Level.highway;
  if (c <= RoadClass.tertiary) return Level.arterial;
  return Level.local;
}

/** Free-flow speed (km/h) when a way has no usable maxspeed. */
export const DEFAULT_SPEED_KMH: Readonly<Record<RoadClassName, number>> = {
  motorway: 110,
  trunk: 90,
  primary: 70,
  secondary: 60,
  tertiary: 50,
  unclassified: 40,
  residential: 30,
  living_street: 10,
  service: 20,
  ferry: 15,
};

/** Edge flags (bit set). */
export const EdgeFlag = {
  toll: 1,
  ferry: 2,
  /** motorway or trunk: what `avoid=highways` avoids. */
  highway: 4,
  roundabout: 8,
} as const;
