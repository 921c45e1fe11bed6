import type { NavManeuver } from '@locus/protocol';

/**
 * `step` with other metres and seconds, as an object of the hidden class buildManeuvers gives a step
 * of its kind (its property order is buildManeuvers' literals'). A spread copy (`{ ...step,
 * distance }`) gets a hidden class of its own in V8, so steps came in six classes (depart/arrive,
 * turn, roundabout; each made or copied), and the splice's property loads on them went polymorphic
 * and then megamorphic, each new class met mid-closure throwing the optimised splice away
 * (`--log-deopt`: "wrong map" in spliceDetour, 2–5 per bench:reroute run).
 */
export function stepWithLength(step: NavManeuver, distance: number, duration: number): NavManeuver {
  const { type, modifier, street, instruction, lat, lng, exit } = step;
  if (exit !== undefined) return { type, street, instruction, distance, duration, lat, lng, exit };
  if (modifier !== undefined) return { type, modifier, street, instruction, distance, duration, lat, lng };
  return { type, street, instruction, distance, duration, lat, lng };
}
