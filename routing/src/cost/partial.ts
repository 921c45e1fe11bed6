/**
 * Cost of the fraction `fraction` (0..1) of an edge costing `cost`. A zero fraction is free even on an
 * unusable edge (0 · Infinity would be NaN): standing at the very end of a closed edge is standing at
 * its node.
 */
export function partialCost(cost: number, fraction: number): number {
  return fraction <= 0 ? 0 : cost * fraction;
}
