import { edgeTile, tileName, type RoadGraph } from '@locus/routing';

/**
 * The routing tile of each directed edge, as a small integer (names kept once): the tile → session
 * index and the per-tile traffic channels address tiles by it. Filled lazily, one geohash encode per
 * edge ever asked about.
 */
export class EdgeTiles {
  private readonly ofEdge: Int32Array;
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  constructor(private readonly graph: RoadGraph) {
    this.ofEdge = new Int32Array(graph.edgeCount).fill(-1);
  }

  /** Edge ids run from 0 to this (exclusive). */
  get edgeCount(): number {
    return this.ofEdge.length;
  }

  tileOf(e: number): number {
    let t = this.ofEdge[e]!;
    if (t < 0) {
      const name = tileName(edgeTile(this.graph, e));
      t = this.ids.get(name) ?? -1;
      if (t < 0) {
        t = this.names.length;
        this.names.push(name);
        this.ids.set(name, t);
      }
      this.ofEdge[e] = t;
    }
    return t;
  }

  idOf(name: string): number | undefined {
    return this.ids.get(name);
  }
}
