import type { RoadGraph } from './road-graph.js';

const RAD = Math.PI / 180;

/** Where a point falls along directed edge `e` (0 at its source, 1 at its target): edges are straight between their nodes. */
export function offsetOn(graph: RoadGraph, e: number, lat: number, lng: number): number {
  const a = graph.edgeSource[e]!;
  const b = graph.edgeTarget[e]!;
  const k = Math.cos(lat * RAD);
  const ax = graph.nodeLng[a]! * k;
  const ay = graph.nodeLat[a]!;
  const dx = graph.nodeLng[b]! * k - ax;
  const dy = graph.nodeLat[b]! - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  const t = ((lng * k - ax) * dx + (lat - ay) * dy) / len2;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}
