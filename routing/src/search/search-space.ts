import type { RoadGraph } from '../graph/road-graph.js';
import { NodePotentials } from './node-potentials.js';
import { SearchLabels } from './search-labels.js';

const cache = new WeakMap<RoadGraph, SearchSpace>();

/**
 * The scratch memory of searches on one graph, allocated once and reused by every query: labels per
 * direction (the backward ones only once a bidirectional search runs), node potentials and heaps.
 * Queries never clear it: each takes a new generation and ignores labels stamped by older ones.
 *
 * JavaScript runs one search at a time per thread, so one space per graph per thread is enough; a
 * worker thread gets its own through its own module instance.
 */
export class SearchSpace {
  /** Even; labelled = gen, settled = gen + 1. */
  gen = 0;
  readonly potentials: NodePotentials;
  private fwd: SearchLabels | undefined;
  private bwd: SearchLabels | undefined;

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

  get forward(): SearchLabels {
    return (this.fwd ??= new SearchLabels(this.graph.edgeCount));
  }

  get backward(): SearchLabels {
    return (this.bwd ??= new SearchLabels(this.graph.edgeCount));
  }

  /** Starts a query: a fresh generation (stamps reset only when the counter wraps, every 2^30 queries). */
  begin(): number {
    if (this.gen >= 0x7fff_fff0) {
      this.fwd?.reset();
      this.bwd?.reset();
      this.potentials.reset();
      this.gen = 0;
    }
    this.gen += 2;
    this.fwd?.heap.clear();
    this.bwd?.heap.clear();
    return this.gen;
  }

  /** Bytes of scratch allocated so far (labels and node caches; heaps excluded, they grow on demand). */
  get byteLength(): number {
    return (this.fwd?.byteLength ?? 0) + (this.bwd?.byteLength ?? 0) + this.potentials.byteLength;
  }
}
