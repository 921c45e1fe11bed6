/**
 * The OSM entities as osm-pbf-parser-node yields them (only the fields the import reads). Declared
 * here rather than imported because the parser ships no types for its items, and so hand-made test
 * fixtures can be written in the same shape.
 */
export type OsmTags = Readonly<Record<string, string>>;

export interface OsmNode {
  readonly type: 'node';
  readonly id: number;
  readonly lat: number;
  readonly lon: number;
  readonly tags?: OsmTags;
}

export interface OsmWay {
  readonly type: 'way';
  readonly id: number;
  /** Node ids in drawing order; some may be missing from a clipped extract. */
  readonly refs: readonly number[];
  readonly tags?: OsmTags;
}

export interface OsmMember {
  readonly type: 'node' | 'way' | 'relation';
  readonly ref: number;
  readonly role: string;
}

export interface OsmRelation {
  readonly type: 'relation';
  readonly id: number;
  readonly members: readonly OsmMember[];
  readonly tags?: OsmTags;
}

export type OsmItem = OsmNode | OsmWay | OsmRelation;
