import type { RoadGraph } from '../graph/road-graph.js';

/**
 * A position on a directed edge: `offset` 0 is its source node, 1 its target node. A route starts or
 * ends mid-edge (a snapped GPS point) and drives the rest / the first part of that edge. A point on a
 * two-way street is two phantoms (edge e at offset o, its reverse at 1 - o): pass both, the search
 * picks the better.
 */
export interface Phantom {
  edge: number;
  offset: number;
}

export type Phantoms = Phantom | readonly Phantom[];

/** At most this many phantoms per end (they are scanned on every relaxation into a target edge). */
export const MAX_PHANTOMS = 8;

export function phantomList(graph: RoadGraph, p: Phantoms, what: string): readonly Phantom[] {
  const list = Array.isArray(p) ? (p as readonly Phantom[]) : [p as Phantom];
  if (list.length === 0 || list.length > MAX_PHANTOMS) throw new RangeError(`${what}: 1..${MAX_PHANTOMS} phantoms`);
  for (const { edge, offset } of list) {
    if (!Number.isInteger(edge) || edge < 0 || edge >= graph.edgeCount) throw new RangeError(`${what}: edge ${edge} is not in the graph`);
    if (!(offset >= 0 && offset <= 1)) throw new RangeError(`${what}: offset ${offset} is not in [0, 1]`);
  }
  return list;
}
