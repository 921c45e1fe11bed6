/**
 * The car road graph in compressed sparse row form: every array typed, nothing per node or per edge
 * on the heap, so a search touches only flat memory and a million-node graph is tens of megabytes.
 *
 * Edges are directed (a two-way street is two edges). Edge ids are sorted by source node, so the
 * edges leaving node n are firstOut[n] … firstOut[n+1]-1. The reverse index lists, for node n, the
 * ids of the edges entering it: inEdges[firstIn[n] … firstIn[n+1]-1].
 */
export interface RoadGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodeLat: Float64Array;
  readonly nodeLng: Float64Array;
  /** OSM node id per node (0 for synthetic graphs). */
  readonly nodeOsmId: Float64Array;

  readonly firstOut: Uint32Array;
  readonly edgeSource: Uint32Array;
  readonly edgeTarget: Uint32Array;
  /** Metres. */
  readonly edgeLength: Float32Array;
  /** Free-flow speed, km/h. */
  readonly edgeSpeed: Float32Array;
  /** RoadClass id. */
  readonly edgeClass: Uint8Array;
  /** EdgeFlag bits. */
  readonly edgeFlags: Uint8Array;
  /** OSM way id (0 for synthetic graphs). */
  readonly edgeWay: Float64Array;
  /** 1 when the edge runs in the way's own direction (traffic updates address "way + direction"). */
  readonly edgeForward: Uint8Array;
  /** Index into `names` ("" = unnamed). */
  readonly edgeName: Uint32Array;
  readonly names: readonly string[];

  readonly firstIn: Uint32Array;
  readonly inEdges: Uint32Array;

  /**
   * Forbidden turns from edge `a` into edge `b`, keyed turnKey(a, b). `only_*` restrictions are
   * stored as the forbidden complement, so a search checks one set whatever the restriction type.
   */
  readonly bannedTurns: ReadonlySet<number>;
  /** Highest free-flow speed in the graph (km/h): the A* heuristic divides by it. */
  readonly maxSpeedKmh: number;
  /**
   * Present on a graph assembled as it is reached (LazyTileGraph): the edges of a node are in memory
   * only once it is ready, so a search makes a node ready before it relaxes the node's edges.
   */
  readonly lazy?: LazyNodes;
}

export interface LazyNodes {
  /** 1 once every edge leaving and entering the node is in memory (its CSR ranges are valid). */
  readonly ready: Uint8Array;
  /** Loads what node v needs (a node becomes known, with its coordinates, with any edge touching it). */
  ensure(v: number): void;
  /** Loads every tile within radiusM of a point (what snapping the point needs). */
  ensureArea(lat: number, lng: number, radiusM: number): void;
  /** Loads the tile holding edge e (ids kept from elsewhere, e.g. a stored route), so its columns are valid. */
  ensureEdge(e: number): void;
  /** The tile holding edge e (its level, and the geohash of its source node), known without loading it. */
  tileOf(e: number): { level: number; hash: string };
}

/** Edge ids stay below 2^26, so a pair fits exactly in a float64. */
export const MAX_EDGES = 1 << 26;

export function turnKey(from: number, to: number): number {
  return from * MAX_EDGES + to;
}
