import { csrIndexes } from './csr.js';
import { EdgeFlag, RoadClass } from './road-class.js';
import { MAX_EDGES, turnKey, type RoadGraph } from './road-graph.js';
import { haversineMeters } from '@locus/geo';

export interface EdgeSpec {
  from: number;
  to: number;
  /** Metres; default: the great-circle distance between the nodes. */
  length?: number;
  speedKmh: number;
  roadClass: number;
  flags?: number;
  way?: number;
  forward?: boolean;
  name?: string;
}

/**
 * Builds a RoadGraph: add nodes and directed edges in any order, then build() sorts edges by source
 * (counting sort), makes the reverse index and resolves turn restrictions given by node/edge ids.
 */
export class RoadGraphBuilder {
  private lat: number[] = [];
  private lng: number[] = [];
  private osm: number[] = [];
  private readonly edges: EdgeSpec[] = [];
  private readonly names = new Map<string, number>([['', 0]]);
  /** [fromEdgeIndex, viaNode, toEdgeIndex, only] in insertion-order edge indexes. */
  private readonly restrictions: { from: number; to: number; only: boolean }[] = [];

  addNode(lat: number, lng: number, osmId = 0): number {
    this.lat.push(lat);
    this.lng.push(lng);
    this.osm.push(osmId);
    return this.lat.length - 1;
  }

  /** Returns the edge's insertion index (what restrictions refer to). */
  addEdge(e: EdgeSpec): number {
    if (this.edges.length >= MAX_EDGES) throw new RangeError('too many edges');
    this.edges.push(e);
    return this.edges.length - 1;
  }

  /** A road both ways: two edges (forward, backward). */
  addRoad(a: number, b: number, spec: Omit<EdgeSpec, 'from' | 'to' | 'forward'>): [number, number] {
    return [this.addEdge({ ...spec, from: a, to: b, forward: true }), this.addEdge({ ...spec, from: b, to: a, forward: false })];
  }

  /**
   * A turn restriction between two edges (insertion indexes) meeting at a node: `only` = the only
   * turn allowed out of `from` at that node; otherwise this turn is forbidden.
   */
  restrict(from: number, to: number, only: boolean): void {
    this.restrictions.push({ from, to, only });
  }

  get nodeCount(): number {
    return this.lat.length;
  }

  get edgeCount(): number {
    return this.edges.length;
  }

  build(): RoadGraph {
    const n = this.lat.length;
    const m = this.edges.length;
    const nodeLat = Float64Array.from(this.lat);
    const nodeLng = Float64Array.from(this.lng);
    const firstOut = new Uint32Array(n + 1);
    for (const e of this.edges) firstOut[e.from + 1]!++;
    for (let i = 0; i < n; i++) firstOut[i + 1]! += firstOut[i]!;
    const fill = firstOut.slice(0, n);
    /** insertion index → final edge id */
    const idOf = new Uint32Array(m);
    const edgeSource = new Uint32Array(m);
    const edgeTarget = new Uint32Array(m);
    const edgeLength = new Float32Array(m);
    const edgeSpeed = new Float32Array(m);
    const edgeClass = new Uint8Array(m);
    const edgeFlags = new Uint8Array(m);
    const edgeWay = new Float64Array(m);
    const edgeForward = new Uint8Array(m);
    const edgeName = new Uint32Array(m);
    let maxSpeed = 1;
    this.edges.forEach((e, i) => {
      const id = fill[e.from]!++;
      idOf[i] = id;
      edgeSource[id] = e.from;
      edgeTarget[id] = e.to;
      edgeLength[id] = e.length ?? haversineMeters(nodeLat[e.from]!, nodeLng[e.from]!, nodeLat[e.to]!, nodeLng[e.to]!);
      edgeSpeed[id] = e.speedKmh;
      edgeClass[id] = e.roadClass;
      edgeFlags[id] = (e.flags ?? 0) | (e.roadClass === RoadClass.ferry ? EdgeFlag.ferry : 0);
      edgeWay[id] = e.way ?? 0;
      edgeForward[id] = e.forward === false ? 0 : 1;
      edgeName[id] = this.nameId(e.name ?? '');
      if (e.speedKmh > maxSpeed) maxSpeed = e.speedKmh;
    });
    const { firstIn, inEdges } = csrIndexes(n, edgeSource, edgeTarget);

    const banned = new Set<number>();
    for (const r of this.restrictions) {
      const from = idOf[r.from]!;
      const to = idOf[r.to]!;
      const via = edgeTarget[from]!;
      if (edgeSource[to] !== via) continue; // not adjacent: a broken relation, ignored
      if (!r.only) banned.add(turnKey(from, to));
      else for (let e = firstOut[via]!; e < firstOut[via + 1]!; e++) if (e !== to) banned.add(turnKey(from, e));
    }
    return {
      nodeCount: n,
      edgeCount: m,
      nodeLat,
      nodeLng,
      nodeOsmId: Float64Array.from(this.osm),
      firstOut,
      edgeSource,
      edgeTarget,
      edgeLength,
      edgeSpeed,
      edgeClass,
      edgeFlags,
      edgeWay,
      edgeForward,
      edgeName,
      names: [...this.names.keys()],
      firstIn,
      inEdges,
      bannedTurns: banned,
      maxSpeedKmh: maxSpeed,
    };
  }

  private nameId(name: string): number {
    let id = this.names.get(name);
    if (id === undefined) {
      id = this.names.size;
      this.names.set(name, id);
    }
    return id;
  }
}
