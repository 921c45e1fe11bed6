import createGraph, { type Graph } from 'ngraph.graph';
import { aStar as ngraphAStar, type PathFinder } from 'ngraph.path';
import { haversineMeters } from '@locus/geo';
import type { CostModel, RoadGraph } from '@locus/routing';

interface NodeData {
  lat: number;
  lng: number;
}

export interface NgraphRouter {
  readonly graph: Graph<NodeData, number>;
  /** Optimal cost (seconds) from node to node and the path's node ids, or null when unreachable. */
  route(from: number, to: number): { cost: number; nodes: number } | null;
}

/**
 * The same road graph in ngraph.graph (node ids = ours, one link per directed edge with its cost in
 * seconds under `costing`), searched with ngraph.path's A* (oriented, same admissible heuristic:
 * great-circle metres × minSecondsPerMeter). ngraph is node-based: it has no turn costs or
 * restrictions, so compare it with a turn-free costing.
 */
export function buildNgraph(road: RoadGraph, costing: CostModel): NgraphRouter {
  const graph = createGraph<NodeData, number>();
  for (let v = 0; v < road.nodeCount; v++) graph.addNode(v, { lat: road.nodeLat[v]!, lng: road.nodeLng[v]! });
  costing.beginQuery?.();
  for (let e = 0; e < road.edgeCount; e++) {
    const c = costing.edgeCost(e);
    if (c !== Infinity) graph.addLink(road.edgeSource[e]!, road.edgeTarget[e]!, c);
  }
  const spm = costing.minSecondsPerMeter;
  const finder: PathFinder<NodeData> = ngraphAStar(graph, {
    oriented: true,
    distance: (_a, _b, link) => link.data,
    heuristic: (a, b) => haversineMeters(a.data.lat, a.data.lng, b.data.lat, b.data.lng) * spm,
  });
  return {
    graph,
    route(from, to) {
      const path = finder.find(from, to); // target first
      if (path.length === 0) return null;
      let cost = 0;
      for (let i = path.length - 1; i > 0; i--) {
        // The cheapest link between consecutive nodes (parallel edges are possible).
        let best = Infinity;
        graph.forEachLinkedNode(path[i]!.id, (_n, link) => {
          if (link.fromId === path[i]!.id && link.toId === path[i - 1]!.id && link.data < best) best = link.data;
        }, true);
        cost += best;
      }
      return { cost, nodes: path.length };
    },
  };
}
