import type { RoadGraph } from '../graph/road-graph.js';

export interface WayEdges {
  /** Edges running in the way's own direction. */
  forward: number[];
  backward: number[];
}

/** OSM way id → its directed edges, for traffic updates addressed by "way + direction". */
export class WayIndex {
  private readonly ways = new Map<number, WayEdges>();

  /** From the graph's edges, or from its columns (edgeWay, edgeForward) as the tile set keeps them. */
  constructor(graph: Pick<RoadGraph, 'edgeCount' | 'edgeWay' | 'edgeForward'>) {
    for (let e = 0; e < graph.edgeCount; e++) {
      const way = graph.edgeWay[e]!;
      if (way === 0) continue;
      let w = this.ways.get(way);
      if (!w) this.ways.set(way, (w = { forward: [], backward: [] }));
      (graph.edgeForward[e] === 1 ? w.forward : w.backward).push(e);
    }
  }

  get(way: number): WayEdges | undefined {
    return this.ways.get(way);
  }
}

/** A fingerprint of a graph build: traffic batches carry it, so edge ids never cross builds. */
export function graphVersion(graph: RoadGraph): string {
  let h = 2166136261;
  const mix = (x: number): void => {
    h = Math.imul(h ^ (x >>> 0), 16777619);
    h = Math.imul(h ^ Math.floor(x / 4294967296), 16777619);
  };
  mix(graph.nodeCount);
  mix(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e += Math.max(1, Math.floor(graph.edgeCount / 4096))) {
    mix(graph.edgeSource[e]!);
    mix(graph.edgeTarget[e]!);
    mix(graph.edgeWay[e]!);
  }
  return `g${(h >>> 0).toString(36)}-${graph.edgeCount}`;
}
