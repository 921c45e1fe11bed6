import type { RoadGraph } from '../graph/road-graph.js';
import type { OsmMember, OsmNode, OsmRelation, OsmTags, OsmWay } from './osm-item.js';

/**
 * Hand-made OSM items for tests (not a test itself): a plus-shaped crossroads in Monaco, node 5 in
 * the middle and arms about 110 m long: 1 north, 2 east, 3 south, 4 west.
 */
export const CENTER = { lat: 43.73, lng: 7.42 };
const D = 0.001;

export function crossroadsNodes(): OsmNode[] {
  return [
    node(1, CENTER.lat + D, CENTER.lng),
    node(2, CENTER.lat, CENTER.lng + D),
    node(3, CENTER.lat - D, CENTER.lng),
    node(4, CENTER.lat, CENTER.lng - D),
    node(5, CENTER.lat, CENTER.lng),
  ];
}

export function node(id: number, lat: number, lon: number): OsmNode {
  return { type: 'node', id, lat, lon };
}

export function way(id: number, refs: number[], tags: OsmTags): OsmWay {
  return { type: 'way', id, refs, tags };
}

/** A via-node restriction relation: restriction(100, 'no_left_turn', 10, 5, 12). */
export function restriction(id: number, value: string, from: number, via: number, to: number, extra: OsmTags = {}): OsmRelation {
  const members: OsmMember[] = [
    { type: 'way', ref: from, role: 'from' },
    { type: 'node', ref: via, role: 'via' },
    { type: 'way', ref: to, role: 'to' },
  ];
  return { type: 'relation', id, members, tags: { type: 'restriction', restriction: value, ...extra } };
}

/** The edge from OSM node a to OSM node b, or -1. */
export function edgeBetween(g: RoadGraph, a: number, b: number): number {
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.nodeOsmId[g.edgeSource[e]!] === a && g.nodeOsmId[g.edgeTarget[e]!] === b) return e;
  }
  return -1;
}

/** Edges of an OSM way, as "a>b" strings of OSM node ids, sorted: easy to compare in tests. */
export function edgesOfWay(g: RoadGraph, wayId: number): string[] {
  const out: string[] = [];
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.edgeWay[e] === wayId) out.push(`${g.nodeOsmId[g.edgeSource[e]!]}>${g.nodeOsmId[g.edgeTarget[e]!]}`);
  }
  return out.sort();
}
