import type { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { NodeCoords } from './node-coords.js';

/**
 * OSM nodes become graph nodes the first time a kept way uses them, so the graph holds exactly the
 * nodes of car roads (no contraction of degree-2 nodes: every OSM node stays, which keeps the
 * geometry exact and a traffic update's "way + direction" addressable segment by segment).
 */
export class GraphNodes {
  /** Store slot → graph node, -1 until used. */
  private readonly ofSlot: Int32Array;

  constructor(
    private readonly coords: NodeCoords,
    private readonly builder: RoadGraphBuilder,
  ) {
    this.ofSlot = new Int32Array(coords.size).fill(-1);
  }

  /** The graph node of a store slot, created on first use. */
  use(slot: number): number {
    let n = this.ofSlot[slot]!;
    if (n < 0) {
      n = this.builder.addNode(this.coords.lat(slot), this.coords.lng(slot), this.coords.id(slot));
      this.ofSlot[slot] = n;
    }
    return n;
  }

  /** The graph node of an OSM node id, or -1 when no kept way uses it (or the extract lacks it). */
  ofOsmId(id: number): number {
    const slot = this.coords.find(id);
    return slot < 0 ? -1 : this.ofSlot[slot]!;
  }
}
