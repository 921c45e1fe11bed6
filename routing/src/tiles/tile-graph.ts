import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csrIndexes } from '../graph/csr.js';
import { turnKey, type RoadGraph } from '../graph/road-graph.js';
import type { TileCache } from './tile-cache.js';
import type { TileManifest } from './tile-writer.js';

export async function readManifest(dir: string): Promise<TileManifest> {
  const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as TileManifest;
  if (m.format !== 'locus-routing-tiles' || m.version !== 2) throw new Error(`${dir}: not a Locus routing tile set of format version 2`);
  return m;
}

/** The way id and direction of every edge (ways.bin: f64 way ids, then u8 forward flags). */
export async function readWayColumns(dir: string, manifest: TileManifest): Promise<{ edgeCount: number; edgeWay: Float64Array; edgeForward: Uint8Array }> {
  const buf = await readFile(join(dir, 'ways.bin'));
  const m = manifest.edgeCount;
  if (buf.byteLength !== 9 * m) throw new Error(`${dir}/ways.bin: ${buf.byteLength} bytes, expected ${9 * m}`);
  const copy = new Uint8Array(buf); // aligned for the Float64Array view
  return { edgeCount: m, edgeWay: new Float64Array(copy.buffer, 0, m), edgeForward: copy.subarray(8 * m) };
}

/** Each edge's own tile, as an index into manifest.tiles (edge-tiles.bin, u32 per edge). */
export async function readEdgeTiles(dir: string, manifest: TileManifest): Promise<Uint32Array> {
  const buf = await readFile(join(dir, 'edge-tiles.bin'));
  if (buf.byteLength !== 4 * manifest.edgeCount) throw new Error(`${dir}/edge-tiles.bin: ${buf.byteLength} bytes, expected ${4 * manifest.edgeCount}`);
  return new Uint32Array(new Uint8Array(buf).buffer);
}

/**
 * Assemble the in-memory graph from tiles (through the cache). Ids in tiles are global, so each tile
 * writes its columns straight into place; the CSR indexes are rebuilt by counting.
 */
export async function graphFromTiles(manifest: TileManifest, cache: TileCache, include: (tileName: string) => boolean = () => true): Promise<RoadGraph> {
  const n = manifest.nodeCount;
  const m = manifest.edgeCount;
  const nodeLat = new Float64Array(n);
  const nodeLng = new Float64Array(n);
  const nodeOsmId = new Float64Array(n);
  const edgeSource = new Uint32Array(m);
  const edgeTarget = new Uint32Array(m);
  const edgeLength = new Float32Array(m);
  const edgeSpeed = new Float32Array(m);
  const edgeClass = new Uint8Array(m);
  const edgeFlags = new Uint8Array(m);
  const edgeWay = new Float64Array(m);
  const edgeForward = new Uint8Array(m);
  const edgeName = new Uint32Array(m);
  const nameIds = new Map<string, number>([['', 0]]);
  const banned = new Set<number>();
  for (const entry of manifest.tiles) {
    if (!include(entry.name)) continue;
    const t = await cache.get(entry.name);
    t.nodeIds.forEach((id, i) => {
      nodeLat[id] = t.nodeLat[i]!;
      nodeLng[id] = t.nodeLng[i]!;
      nodeOsmId[id] = t.nodeOsm[i]!;
    });
    // Edges entering the tile from outside are also in their own tile: the same values written twice.
    t.edgeIds.forEach((id, i) => {
      edgeSource[id] = t.source[i]!;
      edgeTarget[id] = t.target[i]!;
      edgeLength[id] = t.length[i]!;
      edgeSpeed[id] = t.speed[i]!;
      edgeClass[id] = t.roadClass[i]!;
      edgeFlags[id] = t.flags[i]!;
      edgeWay[id] = t.way[i]!;
      edgeForward[id] = t.forward[i]!;
      const name = t.names[t.name[i]!] ?? '';
      let nid = nameIds.get(name);
      if (nid === undefined) nameIds.set(name, (nid = nameIds.size));
      edgeName[id] = nid;
    });
    for (let i = 0; i < t.banned.length; i += 2) banned.add(turnKey(t.banned[i]!, t.banned[i + 1]!));
  }
  const { firstOut, firstIn, inEdges } = csrIndexes(n, edgeSource, edgeTarget);
  return {
    nodeCount: n,
    edgeCount: m,
    nodeLat,
    nodeLng,
    nodeOsmId,
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
    names: [...nameIds.keys()],
    firstIn,
    inEdges,
    bannedTurns: banned,
    maxSpeedKmh: manifest.maxSpeedKmh,
  };
}
