import type { RoadGraph } from '../graph/road-graph.js';
import { NodePotentials } from './node-potentials.js';
import { SearchLabels } from './search-labels.js';
import { StateHeap } from './state-heap.js';

const cache = new WeakMap<RoadGraph, SearchSpace>();

/**
 * The scratch memory of searches on one graph, allocated once and reused by every query: the state
 * labels of both directions, node potentials and a heap per direction.
 * Queries never clear it: each takes a new generation and ignores labels stamped by older ones.
 *
 * JavaScript runs one search at a time per thread, so one space per graph per thread is enough; a
 * worker thread gets its own through its own module instance.
 */
export class SearchSpace {
  /** Even; labelled = gen, settled = gen + 1. */
  gen = 0;
  /** States settled by the last search (also when it found no route). */
  settled = 0;
  readonly potentials: NodePotentials;
  readonly forwardHeap = new StateHeap();
  readonly backwardHeap = new StateHeap();
  private state: SearchLabels | undefined;

  constructor(readonly graph: RoadGraph) {
    this.potentials = new NodePotentials(graph);
  }

  static of(graph: RoadGraph): SearchSpace {
    let s = cache.get(graph);
    if (!s) {
      s = new SearchSpace(graph);
      cache.set(graph, s);
    }
    return s;
  }

  get labels(): SearchLabels {
    return (this.state ??= new SearchLabels(this.graph.edgeCount));
  }

  /** Starts a query: a fresh generation (stamps reset only when the counter wraps, every 2^30 queries). */
  begin(): number {
    if (this.gen >= 0x7fff_fff0) {
      this.state?.reset();
      this.potentials.reset();
      this.gen = 0;
    }
    this.gen += 2;
    this.forwardHeap.clear();
    this.backwardHeap.clear();
    return this.gen;
  }

  /** Bytes of scratch allocated so far (labels and node caches; heaps excluded, they grow on demand). */
  get byteLength(): number {
    return (this.state?.byteLength ?? 0) + this.potentials.byteLength;
  }
}
