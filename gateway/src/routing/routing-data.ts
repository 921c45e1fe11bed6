import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Engine } from '@locus/engine';
import {
  EdgeSnapper,
  graphFromTiles,
  graphVersion,
  LazyTileGraph,
  readEdgeTiles,
  readManifest,
  readRoadGraph,
  readWayColumns,
  RouteService,
  TileCache,
  TILE_VERSION,
  TrafficFeed,
  WayIndex,
  writeTiles,
  type Landmarks,
  type RoadGraph,
  type TileManifest,
} from '@locus/routing';
import type { Logger } from '../logger.js';

/** Everything routing needs at run time, built once at start. */
export interface RoutingData {
  /**
   * The graph, from the tiles (read through `tiles`, a bounded LRU with hit and miss counts): all at
   * start for a city, lazily beyond LAZY_ROUTING_MIN_NODES — a tile is read when a search first
   * reaches its cell or a point is snapped near it. Edge ids are those of `graphVersion` either way;
   * on a lazy graph an edge's columns are valid once loaded (every edge of a returned route is;
   * graph.lazy.ensureEdge loads any other).
   */
  graph: RoadGraph;
  manifest: TileManifest;
  tiles: TileCache;
  traffic: TrafficFeed;
  ways: WayIndex;
  snapper: EdgeSnapper;
  service: RouteService;
}

/**
 * Load the routing graph from its tiles, building them from the OSM extract first when they are
 * missing or were cut from another version of the file (Monaco takes well under a second).
 */
/** One directory per version of the extract (name, size, modification time) and of the tile format. */
export async function tileDirFor(osmPath: string, tilesDir: string): Promise<{ dir: string; source: NonNullable<TileManifest['source']> }> {
  const s = await stat(osmPath);
  const source = { file: basename(osmPath), bytes: s.size, mtimeMs: Math.floor(s.mtimeMs) };
  return { dir: join(tilesDir, `${basename(osmPath).replace(/\.osm\.pbf$/, '')}-${source.bytes}-${source.mtimeMs}-t${TILE_VERSION}`), source };
}

/**
 * From this many nodes on, the graph is loaded lazily (LazyTileGraph: a tile is read when a search
 * first reaches it); below, every tile is read at start (a city is a few MB and a few hundred ms).
 * Not lazy at every size yet: a navigation session resumed on another gateway reads its stored route's
 * edges without loading their tiles (it would need graph.lazy.ensureEdge first; see routing/README.md).
 */
export const LAZY_ROUTING_MIN_NODES = 1_000_000;

export async function loadRoutingData(osmPath: string, tilesDir: string, cacheTiles: number, engine: Engine, log: Logger, lazyMinNodes = LAZY_ROUTING_MIN_NODES): Promise<RoutingData> {
  // Filled under a temporary name and renamed into place: gateways starting together never read a
  // half-written tile set, and a changed extract gets its own directory.
  const { dir, source } = await tileDirFor(osmPath, tilesDir);
  let manifest: TileManifest | null = await readManifest(dir).catch(() => null);
  if (!manifest) {
    const t0 = performance.now();
    const { graph, stats } = await readRoadGraph(osmPath);
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const built = await writeTiles(graph, tmp, graphVersion(graph), source);
    try {
      await rename(tmp, dir);
    } catch {
      await rm(tmp, { recursive: true, force: true }); // another gateway got there first
    }
    manifest = await readManifest(dir);
    log.info({ dir, nodes: stats.nodes, edges: stats.edges, restrictions: stats.restrictions.applied, tiles: built.tiles.length, bytes: built.totalBytes, ms: Math.round(performance.now() - t0) }, 'routing tiles built');
  }
  const tiles = new TileCache(dir, cacheTiles);
  const t1 = performance.now();
  const lazy = manifest.nodeCount >= lazyMinNodes;
  const ways = new WayIndex(await readWayColumns(dir, manifest));
  let graph: RoadGraph;
  let snapper: EdgeSnapper;
  let landmarks: Landmarks | null = null;
  if (lazy) {
    const g = new LazyTileGraph(manifest, tiles, await readEdgeTiles(dir, manifest));
    // Snapping sees the edges of the tiles loaded so far; RouteService loads those around a point first.
    const s = new EdgeSnapper(g, () => false);
    g.onEdges = (edges) => {
      for (const e of edges) s.add(e);
    };
    graph = g;
    snapper = s;
    landmarks = g.landmarks;
  } else {
    graph = await graphFromTiles(manifest, tiles);
    snapper = new EdgeSnapper(graph);
  }
  const traffic = new TrafficFeed(engine, graph, Date.now, manifest.graphVersion);
  await traffic.start();
  log.info(
    { nodes: graph.nodeCount, edges: graph.edgeCount, tiles: manifest.tiles.length, lazy, graphVersion: traffic.graphVersion, ms: Math.round(performance.now() - t1) },
    lazy ? 'routing graph ready (tiles load on first use)' : 'routing graph loaded',
  );
  const service = new RouteService(graph, snapper, traffic.live, traffic.graphVersion, landmarks);
  return { graph, manifest, tiles, traffic, ways, snapper, service };
}
