import type { RoadGraph } from '../graph/road-graph.js';
import { StateHeap } from './state-heap.js';

/** "Unreachable" in integer distance arrays. */
export const UNREACHED = 0xffff_ffff;

/**
 * Node-based one-to-all Dijkstra over integer edge costs (`cost[e]`, e.g. milliseconds), forward
 * (along out-edges, distances from `root`) or backward (along in-edges, distances to `root`). Integer
 * costs keep every distance exact, so bounds derived from them obey the triangle inequality exactly.
 * Writes `out[v * stride + offset]` (UNREACHED where no path). Preprocessing only: no turn costs.
 */
export function nodeDijkstra(graph: RoadGraph, cost: Uint32Array, root: number, backward: boolean, out: Uint32Array, stride: number, offset: number): void {
  const n = graph.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  const heap = new StateHeap(1 << 16);
  const { firstOut, edgeTarget, firstIn, inEdges, edgeSource } = graph;
  dist[root] = 0;
  heap.push(0, root, root);
  while (heap.size > 0) {
    const v = heap.pop();
    if (done[v] === 1) continue;
    done[v] = 1;
    const d = dist[v]!;
    const first = backward ? firstIn[v]! : firstOut[v]!;
    const end = backward ? firstIn[v + 1]! : firstOut[v + 1]!;
    for (let k = first; k < end; k++) {
      const e = backward ? inEdges[k]! : k;
      const c = cost[e]!;
      if (c === UNREACHED) continue;
      const w = backward ? edgeSource[e]! : edgeTarget[e]!;
      const nd = d + c;
      if (nd < dist[w]!) {
        dist[w] = nd;
        heap.push(nd, w, w);
      }
    }
  }
  for (let v = 0; v < n; v++) {
    const d = dist[v]!;
    out[v * stride + offset] = d < UNREACHED ? d : UNREACHED;
  }
}
