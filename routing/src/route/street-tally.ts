import type { RoadGraph } from '../graph/road-graph.js';

/**
 * Metres per street name of one route at a time, summed in a scratch array indexed by name id (no map
 * of strings per route); the two longest name the route. One tally serves route after route: take()
 * resets what add() touched.
 */
export class StreetTally {
  private sums = new Float64Array(0);
  private readonly seen: number[] = [];

  add(g: RoadGraph, e: number, metres: number): void {
    this.addName(g, g.edgeName[e]!, metres);
  }

  /** add() for a street by its name id (a run of edges on one street at once). */
  addName(g: RoadGraph, id: number, metres: number): void {
    if (!g.names[id]) return;
    if (this.sums.length < g.names.length) this.sums = new Float64Array(g.names.length);
    if (this.sums[id] === 0) this.seen.push(id);
    this.sums[id]! += metres || 1e-9; // a zero-length step still names the street
  }

  /** "A, B": the two streets driven longest since the last take. */
  take(g: RoadGraph): string {
    const { sums, seen } = this;
    let best = -1;
    let second = -1;
    for (const id of seen) {
      if (best < 0 || sums[id]! > sums[best]!) {
        second = best;
        best = id;
      } else if (second < 0 || sums[id]! > sums[second]!) second = id;
    }
    const out = best < 0 ? '' : second < 0 ? g.names[best]! : `${g.names[best]!}, ${g.names[second]!}`;
    for (const id of seen) sums[id] = 0;
    seen.length = 0;
    return out;
  }
}

const tally = new StreetTally();

/** The two streets a route drives longest on ("A, B"), given its edges and the metres driven on each. */
export function routeSummary(g: RoadGraph, edges: readonly number[], metres: ArrayLike<number>): string {
  for (let i = 0; i < edges.length; i++) tally.add(g, edges[i]!, metres[i]!);
  return tally.take(g);
}
