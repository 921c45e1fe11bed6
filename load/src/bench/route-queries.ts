import { Rng, type Phantom, type RoadGraph } from '@locus/routing';

/** A node-to-node query, as phantoms: arrive at `from` over one of its in-edges, leave `to` by one of its out-edges. */
export interface Query {
  from: number;
  to: number;
  source: Phantom;
  target: Phantom;
  /** Great-circle metres between the nodes. */
  meters: number;
}

/**
 * Phantoms at nodes, so that node-based routers (ngraph.path) answer the same question: the origin
 * is the end (offset 1) of an edge entering it, the destination the start (offset 0) of an edge
 * leaving it. With turn costs on, the first turn is costed from that in-edge, as for a car that
 * just arrived there.
 */
export function nodeQuery(graph: RoadGraph, from: number, to: number, meters: number): Query | null {
  if (graph.firstIn[from] === graph.firstIn[from + 1] || graph.firstOut[to] === graph.firstOut[to + 1]) return null;
  return { from, to, source: { edge: graph.inEdges[graph.firstIn[from]!]!, offset: 1 }, target: { edge: graph.firstOut[to]!, offset: 0 }, meters };
}

/**
 * Random node pairs whose straight-line distance lies in [minM, maxM], drawn by rejection: the
 * second node is sought around the first (within maxM) so short pairs are cheap to find.
 */
export function randomQueries(graph: RoadGraph, rng: Rng, count: number, minM: number, maxM: number, distance: (a: number, b: number) => number, near: (v: number, maxM: number, rng: Rng) => number): Query[] {
  const out: Query[] = [];
  for (let tries = 0; out.length < count && tries < count * 1000; tries++) {
    const a = rng.int(graph.nodeCount);
    const b = near(a, maxM, rng);
    if (a === b) continue;
    const d = distance(a, b);
    if (d < minM || d > maxM) continue;
    const q = nodeQuery(graph, a, b, d);
    if (q) out.push(q);
  }
  return out;
}
