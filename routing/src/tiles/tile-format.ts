/**
 * One routing tile as a compact binary file: typed columns, no JSON. Ids are global (the graph's own
 * node and edge ids), so tiles assemble into one graph without translation; each edge also names the
 * tile its target lies in (an index into the tile's neighbour table, 0xffff = this tile), which is
 * what a search loading tiles on demand follows.
 *
 * A tile holds the edges of its level leaving its cell and, since version 2, also those of its level
 * entering its cell from outside, with the graph's CSR bounds of every node it names (first out,
 * end of out, first in, end of in) and each edge's slot in the graph's reverse index. So once the
 * tiles of a node's cell at the three levels are loaded, every edge leaving or entering the node is
 * in memory, in place: what LazyTileGraph relies on to assemble the graph a search reaches and no
 * more. (An edge is stored in both tiles it touches; writing it twice writes the same values.)
 *
 * Landmark distances (ALT, see Landmarks) of every node it names ride along, so a lazily loaded
 * graph keeps the landmark bounds.
 *
 * Layout, little-endian: "LTIL" u32 | version u16 | level u8 | hash length u8 | hash |
 * nodes u32 | edges u32 | banned turns u32 | names u32 | neighbours u16 | landmark row length u8 |
 * node ids u32[] | node lat f64[] | node lng f64[] | node osm f64[] |
 * node out start u32[] | node out end u32[] | node in start u32[] | node in end u32[] |
 * landmark distances u32[nodes × row length] |
 * edge ids u32[] | source u32[] | target u32[] | length f32[] | speed f32[] | way f64[] | name u32[] |
 * in slot u32[] | target tile u16[] | class u8[] | flags u8[] | forward u8[] |
 * banned (from u32, to u32)[] | neighbours (level u8, hash length u8, hash)[] | names (u16 length, utf8)[]
 * (f64 columns are read through a DataView, so no alignment padding is needed.)
 */
export const TILE_MAGIC = 0x4c54494c; // "LTIL"
export const TILE_VERSION = 2;
export const SAME_TILE = 0xffff;

export interface TileData {
  level: number;
  hash: string;
  nodeIds: Uint32Array;
  nodeLat: Float64Array;
  nodeLng: Float64Array;
  nodeOsm: Float64Array;
  /** The graph's firstOut[n], firstOut[n + 1], firstIn[n], firstIn[n + 1] per node of the tile. */
  nodeOutStart: Uint32Array;
  nodeOutEnd: Uint32Array;
  nodeInStart: Uint32Array;
  nodeInEnd: Uint32Array;
  /** Per node, its row of the graph's Landmarks.dist (2 × landmark count u32; empty without landmarks). */
  landmarkRow: number;
  landmarkDist: Uint32Array;
  edgeIds: Uint32Array;
  source: Uint32Array;
  target: Uint32Array;
  length: Float32Array;
  speed: Float32Array;
  way: Float64Array;
  name: Uint32Array;
  /** Where the edge sits in the graph's reverse index: inEdges[inSlot] = edge id. */
  inSlot: Uint32Array;
  targetTile: Uint16Array;
  roadClass: Uint8Array;
  flags: Uint8Array;
  forward: Uint8Array;
  /** Pairs: from edge id, to edge id. */
  banned: Uint32Array;
  neighbours: { level: number; hash: string }[];
  names: string[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeTile(t: TileData): Uint8Array {
  const hash = enc.encode(t.hash);
  const names = t.names.map((s) => enc.encode(s));
  const neighbours = t.neighbours.map((n) => ({ level: n.level, hash: enc.encode(n.hash) }));
  const nn = t.nodeIds.length;
  const ne = t.edgeIds.length;
  const size =
    4 + 2 + 1 + 1 + hash.length + 4 * 4 + 2 + 1 +
    t.landmarkDist.length * 4 +
    nn * (4 + 8 + 8 + 8 + 4 * 4) +
    ne * (4 + 4 + 4 + 4 + 4 + 8 + 4 + 4 + 2 + 1 + 1 + 1) +
    t.banned.length * 4 +
    neighbours.reduce((s, n) => s + 2 + n.hash.length, 0) +
    names.reduce((s, n) => s + 2 + n.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  let p = 0;
  const u8 = (x: number) => void (out[p++] = x);
  const u16 = (x: number) => { v.setUint16(p, x, true); p += 2; };
  const u32 = (x: number) => { v.setUint32(p, x, true); p += 4; };
  const f32 = (x: number) => { v.setFloat32(p, x, true); p += 4; };
  const f64 = (x: number) => { v.setFloat64(p, x, true); p += 8; };
  const bytes = (b: Uint8Array) => { out.set(b, p); p += b.length; };
  u32(TILE_MAGIC);
  u16(TILE_VERSION);
  u8(t.level);
  u8(hash.length);
  bytes(hash);
  u32(nn);
  u32(ne);
  u32(t.banned.length / 2);
  u32(names.length);
  u16(neighbours.length);
  u8(t.landmarkRow);
  t.nodeIds.forEach(u32);
  t.nodeLat.forEach(f64);
  t.nodeLng.forEach(f64);
  t.nodeOsm.forEach(f64);
  t.nodeOutStart.forEach(u32);
  t.nodeOutEnd.forEach(u32);
  t.nodeInStart.forEach(u32);
  t.nodeInEnd.forEach(u32);
  t.landmarkDist.forEach(u32);
  t.edgeIds.forEach(u32);
  t.source.forEach(u32);
  t.target.forEach(u32);
  t.length.forEach(f32);
  t.speed.forEach(f32);
  t.way.forEach(f64);
  t.name.forEach(u32);
  t.inSlot.forEach(u32);
  t.targetTile.forEach(u16);
  t.roadClass.forEach(u8);
  t.flags.forEach(u8);
  t.forward.forEach(u8);
  t.banned.forEach(u32);
  for (const n of neighbours) {
    u8(n.level);
    u8(n.hash.length);
    bytes(n.hash);
  }
  for (const s of names) {
    u16(s.length);
    bytes(s);
  }
  return out;
}

export class TileFormatError extends Error {}

export function decodeTile(buf: Uint8Array): TileData {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = 0;
  const need = (n: number) => {
    if (p + n > buf.byteLength) throw new TileFormatError('truncated tile');
  };
  const u8 = () => (need(1), buf[p++]!);
  const u16 = () => (need(2), (p += 2), v.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), v.getUint32(p - 4, true));
  const f32 = () => (need(4), (p += 4), v.getFloat32(p - 4, true));
  const f64 = () => (need(8), (p += 8), v.getFloat64(p - 8, true));
  const str = (n: number) => (need(n), (p += n), dec.decode(buf.subarray(p - n, p)));
  if (u32() !== TILE_MAGIC) throw new TileFormatError('not a routing tile');
  if (u16() !== TILE_VERSION) throw new TileFormatError('unsupported tile version');
  const level = u8();
  const hash = str(u8());
  const nn = u32();
  const ne = u32();
  const nb = u32();
  const nnames = u32();
  const nneigh = u16();
  const landmarkRow = u8();
  const col = <T extends { [i: number]: number }>(make: (n: number) => T, n: number, read: () => number): T => {
    const a = make(n);
    for (let i = 0; i < n; i++) a[i] = read();
    return a;
  };
  const t: TileData = {
    level,
    hash,
    nodeIds: col((n) => new Uint32Array(n), nn, u32),
    nodeLat: col((n) => new Float64Array(n), nn, f64),
    nodeLng: col((n) => new Float64Array(n), nn, f64),
    nodeOsm: col((n) => new Float64Array(n), nn, f64),
    nodeOutStart: col((n) => new Uint32Array(n), nn, u32),
    nodeOutEnd: col((n) => new Uint32Array(n), nn, u32),
    nodeInStart: col((n) => new Uint32Array(n), nn, u32),
    nodeInEnd: col((n) => new Uint32Array(n), nn, u32),
    landmarkRow,
    landmarkDist: col((n) => new Uint32Array(n), nn * landmarkRow, u32),
    edgeIds: col((n) => new Uint32Array(n), ne, u32),
    source: col((n) => new Uint32Array(n), ne, u32),
    target: col((n) => new Uint32Array(n), ne, u32),
    length: col((n) => new Float32Array(n), ne, f32),
    speed: col((n) => new Float32Array(n), ne, f32),
    way: col((n) => new Float64Array(n), ne, f64),
    name: col((n) => new Uint32Array(n), ne, u32),
    inSlot: col((n) => new Uint32Array(n), ne, u32),
    targetTile: col((n) => new Uint16Array(n), ne, u16),
    roadClass: col((n) => new Uint8Array(n), ne, u8),
    flags: col((n) => new Uint8Array(n), ne, u8),
    forward: col((n) => new Uint8Array(n), ne, u8),
    banned: col((n) => new Uint32Array(n), nb * 2, u32),
    neighbours: [],
    names: [],
  };
  for (let i = 0; i < nneigh; i++) {
    const lv = u8();
    t.neighbours.push({ level: lv, hash: str(u8()) });
  }
  for (let i = 0; i < nnames; i++) t.names.push(str(u16()));
  if (p !== buf.byteLength) throw new TileFormatError('trailing bytes');
  return t;
}
