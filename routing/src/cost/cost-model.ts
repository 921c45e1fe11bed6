/**
 * What a search asks of a costing. Costs are seconds; Infinity means "not usable" (an excluded or
 * closed edge, a banned turn). A search treats the model as a fixed function for the whole query, so
 * anything time-dependent is snapshotted in beginQuery().
 */
export interface CostModel {
  /** Seconds to traverse the whole directed edge (Infinity = the edge is not usable). */
  edgeCost(edge: number): number;
  /** Seconds for the turn from `fromEdge` into `toEdge` at the node they share (Infinity = banned). */
  turnCost(fromEdge: number, toEdge: number): number;
  /**
   * A lower bound on seconds per metre of straight-line (great-circle) distance over any path: the A*
   * heuristic is distance × this. It must hold for every edge cost the model can return, or A* is no
   * longer exact.
   */
  readonly minSecondsPerMeter: number;
  /**
   * True when edgeCost(e) is never below e's free-flow time (length / free-flow speed, as in
   * edgeRecords) and turn costs are never negative: then landmark bounds computed on free-flow times
   * are admissible, and searches may use them (they refuse a costing without this promise).
   */
  readonly freeFlowLowerBound?: boolean;
  /** Called once when a search starts: freeze per-query inputs (the live-traffic clock). */
  beginQuery?(): void;
}

/** Physical travel time of an edge (no preferences, no penalties): what an ETA is made of. */
export interface TravelTimeModel {
  travelSeconds(edge: number): number;
  beginQuery?(): void;
}
