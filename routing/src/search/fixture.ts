import { RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder, type EdgeSpec } from '../graph/road-graph-builder.js';
import type { RoadGraph } from '../graph/road-graph.js';
import type { Phantom } from './phantom.js';

const LAT0 = 48;
const LNG0 = 2;
const M_PER_DEG = 111_195;

type Spec = Partial<Omit<EdgeSpec, 'from' | 'to'>>;

export interface Fixture {
  graph: RoadGraph;
  node(name: string): number;
  /** The directed edge a → b (the first one, if parallel). */
  edge(a: string, b: string): number;
  /** At node `name`, free to leave by any out-edge (every out-edge at offset 0). */
  at(name: string): Phantom[];
  /** Arriving at node `name` by any in-edge (every in-edge at offset 1). */
  arrive(name: string): Phantom[];
  /** Node names along a route's edges (its first edge's source, then every target). */
  names(edges: ArrayLike<number>): string[];
}

/**
 * Hand-made test graphs on a local metric plane: named nodes at (x, y) metres east / north of a
 * fixed origin, residential 36 km/h (10 m/s) streets unless told otherwise, so costs are easy to
 * work out by hand (100 m = 10 s).
 */
export class FixtureBuilder {
  private readonly b = new RoadGraphBuilder();
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  node(name: string, x: number, y: number): this {
    const lat = LAT0 + y / M_PER_DEG;
    const lng = LNG0 + x / (M_PER_DEG * Math.cos((LAT0 * Math.PI) / 180));
    this.ids.set(name, this.b.addNode(lat, lng));
    this.names.push(name);
    return this;
  }

  /** One-way a → b; returns its insertion index (for restrict). */
  oneWay(a: string, b: string, spec: Spec = {}): number {
    return this.b.addEdge({ speedKmh: 36, roadClass: RoadClass.residential, ...spec, from: this.id(a), to: this.id(b) });
  }

  /** Both ways; returns [a → b, b → a] insertion indexes. */
  road(a: string, b: string, spec: Spec = {}): [number, number] {
    return [this.oneWay(a, b, spec), this.oneWay(b, a, spec)];
  }

  restrict(from: number, to: number, only = false): this {
    this.b.restrict(from, to, only);
    return this;
  }

  build(): Fixture {
    const graph = this.b.build();
    const ids = this.ids;
    const names = this.names;
    const node = (name: string): number => {
      const v = ids.get(name);
      if (v === undefined) throw new Error(`no node ${name}`);
      return v;
    };
    const edge = (a: string, b: string): number => {
      const u = node(a);
      const v = node(b);
      for (let e = graph.firstOut[u]!; e < graph.firstOut[u + 1]!; e++) if (graph.edgeTarget[e] === v) return e;
      throw new Error(`no edge ${a} → ${b}`);
    };
    const at = (name: string): Phantom[] => {
      const v = node(name);
      const out: Phantom[] = [];
      for (let e = graph.firstOut[v]!; e < graph.firstOut[v + 1]!; e++) out.push({ edge: e, offset: 0 });
      return out;
    };
    const arrive = (name: string): Phantom[] => {
      const v = node(name);
      const out: Phantom[] = [];
      for (let k = graph.firstIn[v]!; k < graph.firstIn[v + 1]!; k++) out.push({ edge: graph.inEdges[k]!, offset: 1 });
      return out;
    };
    const routeNames = (edges: ArrayLike<number>): string[] => {
      if (edges.length === 0) return [];
      const out = [names[graph.edgeSource[edges[0]!]!]!];
      for (let i = 0; i < edges.length; i++) out.push(names[graph.edgeTarget[edges[i]!]!]!);
      return out;
    };
    return { graph, node, edge, at, arrive, names: routeNames };
  }

  private id(name: string): number {
    const v = this.ids.get(name);
    if (v === undefined) throw new Error(`no node ${name}`);
    return v;
  }
}
