import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { edgeRecords } from '../cost/edge-records.js';
import { Landmarks } from '../search/landmarks.js';
import { MAX_EDGES, type RoadGraph } from '../graph/road-graph.js';
import type { LevelId } from '../graph/road-class.js';
import { encodeTile, SAME_TILE, type TileData } from './tile-format.js';
import { edgeTile, nodeTile, tileName, type TileKey } from './tile-key.js';

export interface TileManifest {
  format: 'locus-routing-tiles';
  version: 2;
  graphVersion: string;
  nodeCount: number;
  edgeCount: number;
  maxSpeedKmh: number;
  /** The A* bound over every edge (EdgeRecords.minSecondsPerMeter): a lazily loaded graph cannot compute it. */
  minSecondsPerMeter: number;
  /** The landmark nodes whose distances the tiles carry per node ([] = none). */
  landmarks: number[];
  /** The extract the tiles were cut from, so a changed extract is re-imported. */
  source?: { file: string; bytes: number; mtimeMs: number };
  tiles: { name: string; level: number; hash: string; nodes: number; edges: number; bytes: number }[];
  totalBytes: number;
}

export interface WriteTilesOptions {
  /** Landmarks to store per node (default: 8 built here, Landmarks.build; 0 = none). */
  landmarks?: Landmarks | number;
}

/** Cut a graph into tiles and write them (one file each) and a manifest into `dir`. */
export async function writeTiles(g: RoadGraph, dir: string, graphVersion: string, source?: TileManifest['source'], options: WriteTilesOptions = {}): Promise<TileManifest> {
  const wanted = options.landmarks ?? 8;
  const lm = typeof wanted === 'number' ? (wanted > 0 && g.nodeCount > 0 ? Landmarks.build(g, { count: wanted }) : null) : wanted;
  const row = lm ? 2 * lm.count : 0;
  const groups = new Map<string, { key: TileKey; edges: number[] }>();
  const add = (key: TileKey, e: number): void => {
    const name = tileName(key);
    let grp = groups.get(name);
    if (!grp) groups.set(name, (grp = { key, edges: [] }));
    grp.edges.push(e);
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const key = edgeTile(g, e);
    add(key, e);
    // Also in the tile of its level holding its target, when that is another one (see tile-format).
    const there = nodeTile(g, g.edgeTarget[e]!, key.level);
    if (there.hash !== key.hash) add(there, e);
  }
  const inSlotOf = new Uint32Array(g.edgeCount);
  for (let k = 0; k < g.edgeCount; k++) inSlotOf[g.inEdges[k]!] = k;
  // Banned turns travel with the tile of their from-edge.
  const bannedFrom = new Map<number, number[]>();
  for (const k of g.bannedTurns) {
    const from = Math.floor(k / MAX_EDGES);
    const to = k - from * MAX_EDGES;
    let list = bannedFrom.get(from);
    if (!list) bannedFrom.set(from, (list = []));
    list.push(to);
  }
  const records = edgeRecords(g);
  const manifest: TileManifest = {
    format: 'locus-routing-tiles',
    version: 2,
    graphVersion,
    nodeCount: g.nodeCount,
    edgeCount: g.edgeCount,
    maxSpeedKmh: g.maxSpeedKmh,
    minSecondsPerMeter: records.minSecondsPerMeter,
    landmarks: lm ? Array.from(lm.nodes) : [],
    ...(source ? { source } : {}),
    tiles: [],
    totalBytes: 0,
  };
  for (const [name, { key, edges }] of groups) {
    const nodes = new Set<number>();
    for (const e of edges) {
      nodes.add(g.edgeSource[e]!);
      nodes.add(g.edgeTarget[e]!);
    }
    const nodeIds = Uint32Array.from([...nodes].sort((a, b) => a - b));
    const names: string[] = [];
    const nameIdx = new Map<number, number>();
    const neighbours: { level: number; hash: string }[] = [];
    const neighbourIdx = new Map<string, number>();
    const banned: number[] = [];
    const t: TileData = {
      level: key.level,
      hash: key.hash,
      nodeIds,
      nodeLat: Float64Array.from(nodeIds, (n) => g.nodeLat[n]!),
      nodeLng: Float64Array.from(nodeIds, (n) => g.nodeLng[n]!),
      nodeOsm: Float64Array.from(nodeIds, (n) => g.nodeOsmId[n]!),
      nodeOutStart: Uint32Array.from(nodeIds, (n) => g.firstOut[n]!),
      nodeOutEnd: Uint32Array.from(nodeIds, (n) => g.firstOut[n + 1]!),
      nodeInStart: Uint32Array.from(nodeIds, (n) => g.firstIn[n]!),
      nodeInEnd: Uint32Array.from(nodeIds, (n) => g.firstIn[n + 1]!),
      landmarkRow: row,
      landmarkDist: landmarkRows(lm, nodeIds, row),
      edgeIds: Uint32Array.from(edges),
      source: Uint32Array.from(edges, (e) => g.edgeSource[e]!),
      target: Uint32Array.from(edges, (e) => g.edgeTarget[e]!),
      length: Float32Array.from(edges, (e) => g.edgeLength[e]!),
      speed: Float32Array.from(edges, (e) => g.edgeSpeed[e]!),
      way: Float64Array.from(edges, (e) => g.edgeWay[e]!),
      name: Uint32Array.from(edges, (e) => {
        const global = g.edgeName[e]!;
        let local = nameIdx.get(global);
        if (local === undefined) {
          local = names.length;
          names.push(g.names[global] ?? '');
          nameIdx.set(global, local);
        }
        return local;
      }),
      inSlot: Uint32Array.from(edges, (e) => inSlotOf[e]!),
      targetTile: Uint16Array.from(edges, (e) => {
        const there = nodeTile(g, g.edgeTarget[e]!, key.level as LevelId);
        if (there.hash === key.hash) return SAME_TILE;
        const n = tileName(there);
        let i = neighbourIdx.get(n);
        if (i === undefined) {
          i = neighbours.length;
          neighbours.push({ level: there.level, hash: there.hash });
          neighbourIdx.set(n, i);
        }
        return i;
      }),
      roadClass: Uint8Array.from(edges, (e) => g.edgeClass[e]!),
      flags: Uint8Array.from(edges, (e) => g.edgeFlags[e]!),
      forward: Uint8Array.from(edges, (e) => g.edgeForward[e]!),
      banned: new Uint32Array(0),
      neighbours,
      names,
    };
    for (const e of edges) for (const to of bannedFrom.get(e) ?? []) banned.push(e, to);
    t.banned = Uint32Array.from(banned);
    const bytes = encodeTile(t);
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, `${name}.tile`), bytes);
    manifest.tiles.push({ name, level: key.level, hash: key.hash, nodes: nodeIds.length, edges: edges.length, bytes: bytes.length });
    manifest.totalBytes += bytes.length;
  }
  manifest.tiles.sort((a, b) => a.name.localeCompare(b.name));
  // The way id and direction of every edge: traffic by "way + direction" must resolve ways whose
  // tiles no search has loaded yet (9 bytes per edge; see readWayColumns).
  const ways = new Uint8Array(9 * g.edgeCount);
  new Float64Array(ways.buffer, 0, g.edgeCount).set(g.edgeWay);
  ways.set(g.edgeForward, 8 * g.edgeCount);
  await writeFile(join(dir, 'ways.bin'), ways);
  // Each edge's own tile (index into manifest.tiles): what a lazily loaded graph answers tileOf with.
  const index = new Map(manifest.tiles.map((t, i) => [t.name, i]));
  const edgeTiles = new Uint32Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) edgeTiles[e] = index.get(tileName(edgeTile(g, e)))!;
  await writeFile(join(dir, 'edge-tiles.bin'), new Uint8Array(edgeTiles.buffer));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return manifest;
}


function landmarkRows(lm: Landmarks | null, nodeIds: Uint32Array, row: number): Uint32Array {
  const out = new Uint32Array(nodeIds.length * row);
  if (lm) nodeIds.forEach((n, i) => out.set(lm.dist.subarray(n * row, (n + 1) * row), i * row));
  return out;
}
