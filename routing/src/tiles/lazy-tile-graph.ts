import ngeohash from 'ngeohash';
import { EARTH_RADIUS_M } from '@locus/geo';
import { emptyEdgeRecords, RESTRICTED_BIT, writeEdgeRecord } from '../cost/edge-records.js';
import { Level, levelOf, type LevelId } from '../graph/road-class.js';
import { turnKey, type LazyNodes, type RoadGraph } from '../graph/road-graph.js';
import { Landmarks } from '../search/landmarks.js';
import type { TileCache } from './tile-cache.js';
import type { TileData } from './tile-format.js';
import { LEVEL_PRECISION, tileName } from './tile-key.js';
import type { TileManifest } from './tile-writer.js';

const LEVELS: readonly LevelId[] = [Level.highway, Level.arterial, Level.local];
const RAD = Math.PI / 180;

/**
 * The road graph assembled from tiles as searches reach it. Every column is allocated at the full
 * size the manifest gives (zero-filled typed arrays: pages the process never writes cost no memory),
 * and ids are the tiles' own global ids, so edge ids in routes and traffic batches are the same as
 * with the eagerly assembled graph of the same graphVersion. A tile is read (through the LRU
 * TileCache, synchronously) the first time a search makes one of the nodes of its cell ready, or a
 * point is snapped near it, and written into place together with its edges' costing records.
 *
 * What a search must do (one typed-array read per settled state): before relaxing the edges of node
 * v, `if (lazy.ready[v] === 0) lazy.ensure(v)`. ensure loads the tiles of v's cell at the three
 * levels; by the tile format (see tile-format.ts) that brings every edge leaving or entering v, with
 * v's CSR ranges and its reverse-index slots.
 *
 * Landmark bounds work as on an eager graph: the tiles carry each node's landmark distances, computed
 * on the whole graph when it was cut (`landmarks`, filled as tiles load; a search reads the row of a
 * node only once a loaded tile named it).
 *
 * Not done: tiles are never unloaded from the assembled graph (the LRU bounds decoded tiles, not the
 * graph); the hierarchical mode still loads local tiles of the nodes it passes.
 */
export class LazyTileGraph implements RoadGraph, LazyNodes {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly nodeLat: Float64Array;
  readonly nodeLng: Float64Array;
  readonly nodeOsmId: Float64Array;
  readonly firstOut: Uint32Array;
  readonly edgeSource: Uint32Array;
  readonly edgeTarget: Uint32Array;
  readonly edgeLength: Float32Array;
  readonly edgeSpeed: Float32Array;
  readonly edgeClass: Uint8Array;
  readonly edgeFlags: Uint8Array;
  readonly edgeWay: Float64Array;
  readonly edgeForward: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly names: string[] = [''];
  readonly firstIn: Uint32Array;
  readonly inEdges: Uint32Array;
  readonly bannedTurns = new Set<number>();
  readonly maxSpeedKmh: number;
  readonly lazy: LazyNodes = this;
  readonly ready: Uint8Array;
  /** 1 once the edge's columns are in place. */
  readonly edgeLoaded: Uint8Array;
  /** Tiles loaded into the graph so far, by name. */
  readonly loadedTiles = new Set<string>();
  /** The landmarks stored with the tiles (null when none): their rows fill in as tiles load. */
  readonly landmarks: Landmarks | null;
  /** Called with each tile's newly present edges (the snapper indexes them). */
  onEdges: ((edges: readonly number[]) => void) | null = null;
  private readonly tileNames: ReadonlySet<string>;
  private readonly nameIds = new Map<string, number>([['', 0]]);
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;

  /**
   * `edgeTiles` (readEdgeTiles: each edge's tile as an index into manifest.tiles) lets tileOf and
   * ensureEdge answer for edges not loaded yet; without it they answer only for loaded edges.
   */
  constructor(
    readonly manifest: TileManifest,
    private readonly cache: TileCache,
    private readonly edgeTiles: Uint32Array | null = null,
  ) {
    const n = manifest.nodeCount;
    const m = manifest.edgeCount;
    this.nodeCount = n;
    this.edgeCount = m;
    this.maxSpeedKmh = manifest.maxSpeedKmh;
    this.nodeLat = new Float64Array(n);
    this.nodeLng = new Float64Array(n);
    this.nodeOsmId = new Float64Array(n);
    this.firstOut = new Uint32Array(n + 1);
    this.firstIn = new Uint32Array(n + 1);
    this.ready = new Uint8Array(n);
    this.edgeSource = new Uint32Array(m);
    this.edgeTarget = new Uint32Array(m);
    this.edgeLength = new Float32Array(m);
    this.edgeSpeed = new Float32Array(m);
    this.edgeClass = new Uint8Array(m);
    this.edgeFlags = new Uint8Array(m);
    this.edgeWay = new Float64Array(m);
    this.edgeForward = new Uint8Array(m);
    this.edgeName = new Uint32Array(m);
    this.inEdges = new Uint32Array(m);
    this.edgeLoaded = new Uint8Array(m);
    this.tileNames = new Set(manifest.tiles.map((t) => t.name));
    const k = manifest.landmarks.length;
    this.landmarks = k > 0 ? Landmarks.fromParts(this, Uint32Array.from(manifest.landmarks), new Uint32Array(n * 2 * k)) : null;
    const records = emptyEdgeRecords(this, manifest.minSecondsPerMeter, manifest.maxSpeedKmh);
    this.u32 = records.u32;
    this.f32 = records.f32;
  }

  ensure(v: number): void {
    const lat = this.nodeLat[v]!;
    const lng = this.nodeLng[v]!;
    for (const level of LEVELS) {
      const name = tileName({ level, hash: ngeohash.encode(lat, lng, LEVEL_PRECISION[level]) });
      if (!this.loadedTiles.has(name) && this.tileNames.has(name)) this.load(name);
    }
    this.ready[v] = 1;
  }

  tileOf(e: number): { level: number; hash: string } {
    if (this.edgeTiles !== null) {
      const t = this.manifest.tiles[this.edgeTiles[e]!];
      if (t) return t;
    }
    if (this.edgeLoaded[e] !== 1) throw new RangeError(`edge ${e}: not loaded, and no edge → tile table`);
    const level = levelOf(this.edgeClass[e]!);
    const n = this.edgeSource[e]!;
    return { level, hash: ngeohash.encode(this.nodeLat[n]!, this.nodeLng[n]!, LEVEL_PRECISION[level]) };
  }

  ensureEdge(e: number): void {
    if (this.edgeLoaded[e] === 1) return;
    const t = this.tileOf(e);
    this.load(tileName({ level: t.level as LevelId, hash: t.hash }));
  }

  ensureArea(lat: number, lng: number, radiusM: number): void {
    const dLat = radiusM / (RAD * EARTH_RADIUS_M);
    const dLng = radiusM / (RAD * EARTH_RADIUS_M * Math.max(0.01, Math.cos(lat * RAD)));
    const [s, w, n, e] = [Math.max(-90, lat - dLat), Math.max(-180, lng - dLng), Math.min(90, lat + dLat), Math.min(180, lng + dLng)];
    for (const level of LEVELS) {
      for (const hash of ngeohash.bboxes(s, w, n, e, LEVEL_PRECISION[level])) {
        const name = tileName({ level, hash });
        if (!this.loadedTiles.has(name) && this.tileNames.has(name)) this.load(name);
      }
    }
  }

  private load(name: string): void {
    const t = this.cache.getSync(name);
    this.loadedTiles.add(name);
    this.writeNodes(t);
    const added = this.writeEdges(t);
    // Banned turns travel with every tile holding their from-edge: set again here in case the
    // from-edge's record was first written by a tile loaded earlier.
    const banned = t.banned;
    for (let i = 0; i < banned.length; i += 2) {
      this.bannedTurns.add(turnKey(banned[i]!, banned[i + 1]!));
      this.u32[4 * banned[i]! + 3]! |= RESTRICTED_BIT;
    }
    if (added.length > 0) this.onEdges?.(added);
  }

  private writeNodes(t: TileData): void {
    const { nodeLat, nodeLng, nodeOsmId, firstOut, firstIn } = this;
    const lm = this.landmarks;
    const row = t.landmarkRow;
    if (lm && row !== 2 * lm.count) throw new Error(`tile ${t.hash}: landmark rows of ${row}, the manifest has ${lm.count} landmarks`);
    for (let i = 0; i < t.nodeIds.length; i++) {
      const id = t.nodeIds[i]!;
      nodeLat[id] = t.nodeLat[i]!;
      nodeLng[id] = t.nodeLng[i]!;
      nodeOsmId[id] = t.nodeOsm[i]!;
      // The graph's own CSR values: writing n's end where n + 1's start goes is writing the same number.
      firstOut[id] = t.nodeOutStart[i]!;
      firstOut[id + 1] = t.nodeOutEnd[i]!;
      firstIn[id] = t.nodeInStart[i]!;
      firstIn[id + 1] = t.nodeInEnd[i]!;
      if (lm) lm.dist.set(t.landmarkDist.subarray(i * row, (i + 1) * row), id * row);
    }
  }

  private writeEdges(t: TileData): number[] {
    const added: number[] = [];
    for (let i = 0; i < t.edgeIds.length; i++) {
      const id = t.edgeIds[i]!;
      if (this.edgeLoaded[id] === 1) continue;
      this.edgeSource[id] = t.source[i]!;
      this.edgeTarget[id] = t.target[i]!;
      this.edgeLength[id] = t.length[i]!;
      this.edgeSpeed[id] = t.speed[i]!;
      this.edgeClass[id] = t.roadClass[i]!;
      this.edgeFlags[id] = t.flags[i]!;
      this.edgeWay[id] = t.way[i]!;
      this.edgeForward[id] = t.forward[i]!;
      const name = t.names[t.name[i]!] ?? '';
      let nid = this.nameIds.get(name);
      if (nid === undefined) {
        nid = this.names.length;
        this.nameIds.set(name, nid);
        this.names.push(name);
      }
      this.edgeName[id] = nid;
      this.inEdges[t.inSlot[i]!] = id;
      this.edgeLoaded[id] = 1;
      writeEdgeRecord(this, this.u32, this.f32, id);
      added.push(id);
    }
    return added;
  }
}
