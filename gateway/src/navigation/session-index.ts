import type { EdgeTiles } from './edge-tiles.js';
import type { NavSession } from './nav-session.js';

/** What the index asks of the engine: one subscription per tile, while any local session needs it. */
export interface TileSubscriber {
  subscribeTile(tile: number): void;
  unsubscribeTile(tile: number): void;
}

/**
 * The tile → session index of the gateway's navigation sessions, kept over the REMAINING route of
 * each: the tiles decide which per-tile traffic channels this gateway listens to (so gateways with no
 * session there do no work), and the edge → sessions map inside picks exactly the sessions whose route
 * uses a changed edge (so a traffic event examines the affected sessions, not every session in the
 * tile). Edges are dropped as the driver passes them.
 */
export class SessionIndex {
  private readonly byEdge = new Map<number, Set<NavSession>>();
  /** Sessions per tile: a channel is subscribed while its count is positive. */
  private readonly tileSessions = new Map<number, number>();
  /** Scratch for replace(): edge → generation, to diff two routes without sets. */
  private mark: Int32Array | null = null;
  private markGen = 0;

  constructor(
    private readonly tiles: EdgeTiles,
    private readonly subscriber: TileSubscriber,
  ) {}

  get edgeCount(): number {
    return this.byEdge.size;
  }

  get tileCount(): number {
    return this.tileSessions.size;
  }

  sessionsOn(edge: number): Set<NavSession> | undefined {
    return this.byEdge.get(edge);
  }

  /** Register the session's route from its current segment on. */
  add(s: NavSession): void {
    const edges = s.track.edges;
    s.indexedFrom = Math.max(0, s.segment);
    for (let i = s.indexedFrom; i < edges.length; i++) this.addEdge(s, edges[i]!);
    this.countTiles(s);
  }

  /**
   * Swap the session's route: `swap` installs the new track. Only the difference is applied to the
   * edge index — a rerouted route keeps most of the old one (a closure repair keeps all but the
   * detour), and on a busy road each edge's set holds thousands of sessions — and the new route's
   * tiles are retained before the old ones are released, so a tile both cross keeps its subscription.
   */
  replace(s: NavSession, swap: () => void): void {
    const oldEdges = s.track.edges;
    const oldFrom = s.indexedFrom;
    const oldTiles = s.tiles;
    swap();
    const edges = s.track.edges;
    const from = Math.max(0, s.segment);
    const mark = (this.mark ??= new Int32Array(this.tiles.edgeCount));
    if (this.markGen >= 0x7fff_fff0) {
      mark.fill(0);
      this.markGen = 0;
    }
    const inNew = ++this.markGen;
    for (let i = from; i < edges.length; i++) mark[edges[i]!] = inNew;
    for (let i = oldFrom; i < oldEdges.length; i++) if (mark[oldEdges[i]!] !== inNew) this.dropEdge(s, oldEdges[i]!);
    const inOld = ++this.markGen;
    for (let i = oldFrom; i < oldEdges.length; i++) mark[oldEdges[i]!] = inOld;
    for (let i = from; i < edges.length; i++) if (mark[edges[i]!] !== inOld) this.addEdge(s, edges[i]!);
    s.indexedFrom = from;
    // Tiles: counted again for the new route (a handful per route), retained, then the old released.
    s.tiles = new Map();
    this.countTiles(s);
    for (const t of oldTiles.keys()) this.releaseTile(t);
  }

  private addEdge(s: NavSession, e: number): void {
    let set = this.byEdge.get(e);
    if (!set) this.byEdge.set(e, (set = new Set()));
    set.add(s);
  }

  /** Count the tiles of the route from s.indexedFrom into s.tiles (retaining new ones): per run of one tile, not per edge. */
  private countTiles(s: NavSession): void {
    const edges = s.track.edges;
    let tile = -1;
    let run = 0;
    for (let i = s.indexedFrom; i < edges.length; i++) {
      const t = this.tiles.tileOf(edges[i]!);
      if (t === tile) {
        run++;
        continue;
      }
      if (run > 0) this.countTile(s, tile, run);
      tile = t;
      run = 1;
    }
    if (run > 0) this.countTile(s, tile, run);
  }

  private countTile(s: NavSession, t: number, k: number): void {
    const n = s.tiles.get(t) ?? 0;
    s.tiles.set(t, n + k);
    if (n === 0) this.retainTile(t);
  }

  /** Forget every edge the session still has registered (route replaced or session gone). */
  remove(s: NavSession): void {
    const edges = s.track.edges;
    for (let i = s.indexedFrom; i < edges.length; i++) this.dropEdge(s, edges[i]!);
    for (const t of s.tiles.keys()) this.releaseTile(t);
    s.tiles.clear();
    s.indexedFrom = edges.length;
  }

  /** The driver reached segment `to`: the edges before it are behind (unless the route uses them again). */
  advance(s: NavSession, to: number): void {
    const edges = s.track.edges;
    const end = Math.min(to, edges.length);
    for (let i = s.indexedFrom; i < end; i++) {
      const e = edges[i]!;
      if (s.track.usesAhead(e, end)) continue;
      this.dropEdge(s, e);
      const t = this.tiles.tileOf(e);
      const n = (s.tiles.get(t) ?? 1) - 1;
      if (n > 0) s.tiles.set(t, n);
      else {
        s.tiles.delete(t);
        this.releaseTile(t);
      }
    }
    if (end > s.indexedFrom) s.indexedFrom = end;
  }

  private dropEdge(s: NavSession, e: number): void {
    const set = this.byEdge.get(e);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.byEdge.delete(e);
  }

  private retainTile(t: number): void {
    const n = this.tileSessions.get(t) ?? 0;
    this.tileSessions.set(t, n + 1);
    if (n === 0) this.subscriber.subscribeTile(t);
  }

  private releaseTile(t: number): void {
    const n = (this.tileSessions.get(t) ?? 1) - 1;
    if (n > 0) this.tileSessions.set(t, n);
    else {
      this.tileSessions.delete(t);
      this.subscriber.unsubscribeTile(t);
    }
  }
}
