import type { RoadGraph } from '@locus/routing';

/**
 * The benches' trips: a seeded generator (the same sequence in every run and in every bench that
 * starts from the same seed — bench:reroute and bench:closure start the same 10,000 trips) and random
 * points on roads, the middle of a random edge (snapping then finds that edge).
 */
export function seededTrips(graph: Pick<RoadGraph, 'edgeCount' | 'edgeSource' | 'edgeTarget' | 'nodeLat' | 'nodeLng'>, seed: number): { rnd: () => number; roadPoint: () => { lat: number; lng: number } } {
  let s = seed;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const roadPoint = (): { lat: number; lng: number } => {
    const e = Math.floor(rnd() * graph.edgeCount);
    const a = graph.edgeSource[e]!;
    const b = graph.edgeTarget[e]!;
    return { lat: (graph.nodeLat[a]! + graph.nodeLat[b]!) / 2, lng: (graph.nodeLng[a]! + graph.nodeLng[b]!) / 2 };
  };
  return { rnd, roadPoint };
}
