import type { EdgeTiles } from './edge-tiles.js';
import type { NavSession } from './nav-session.js';

/** What the index asks of the engine: one subscription per tile, while any local session needs it. */
export interface TileSubscriber {
  subscribeTile(tile: number): void;
  unsubscribeTile(tile: number): void;
}

/** One edge's postings: (slot, generation, route index) triples, stale ones included until compacted. */
interface Postings {
  d: Int32Array;
  /** Int32 values in use (3 per posting). */
  n: number;
}

const FIRST_CAPACITY = 4 * 3;
/** Int32 values of emptied or outgrown posting arrays kept for reuse (beyond it they are dropped). */
const MAX_POOLED = 16 * 1024 * 1024;

/**
 * The tile → session index of the gateway's navigation sessions, kept over the REMAINING route of
 * each: the tiles decide which per-tile traffic channels this gateway listens to (so gateways with no
 * session there do no work), and the edge → sessions postings inside pick exactly the sessions whose
 * remaining route uses a changed edge (so a traffic event examines the affected sessions, not every
 * session in the tile).
 *
 * Built for the closure storm, where a thousand sessions swap routes at once: a posting names the
 * session's slot, the generation of its route and the route index of the edge. Replacing or removing
 * a route only bumps the slot's generation (its old postings go stale at once, nothing is looked up),
 * driving on only moves the slot's "indexed from" mark; stale postings are skipped when read and
 * dropped when a list fills up or by `sweep`. (A Set of sessions per edge cost ~0.4 µs per insert or
 * delete — cache misses on thousands of big hash sets — and a repaired route changes ~270 edges.)
 */
export class SessionIndex {
  /** Postings per edge id (a dense array: a Map lookup per posting cost more than the posting). */
  private readonly lists: (Postings | undefined)[];
  /** Per slot: the session, its route generation and the first route index still indexed. */
  private bySlot: (NavSession | undefined)[] = [];
  private gen = new Int32Array(64);
  private from = new Int32Array(64);
  private readonly free: number[] = [];
  /** Sessions per tile: a channel is subscribed while its count is positive. */
  private readonly tileSessions = new Map<number, number>();
  /** Where the next sweep continues. */
  private sweepAt = 0;
  /**
   * Posting arrays outgrown or emptied, by capacity, for lists that grow next: a closure that moves a
   * thousand routes grew ~10 MB of them, and every ArrayBuffer byte counts toward V8's next full
   * collection (see TrackBuffers in @locus/routing).
   */
  private readonly spare = new Map<number, Int32Array[]>();
  private pooled = 0;

  constructor(
    private readonly tiles: EdgeTiles,
    private readonly subscriber: TileSubscriber,
  ) {
    // Filled up front, so the array stays in fast mode (writing index 40,000 of an empty array makes it a dictionary).
    this.lists = new Array<Postings | undefined>(tiles.edgeCount).fill(undefined);
  }

  /** Edges with at least one live posting (a scan: for tests and diagnostics). */
  get edgeCount(): number {
    let n = 0;
    for (const p of this.lists) {
      if (!p) continue;
      for (let i = 0; i < p.n; i += 3) {
        if (this.live(p.d, i)) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  get tileCount(): number {
    return this.tileSessions.size;
  }

  /**
   * The sessions whose remaining route uses `edge`, with the route index of each use: appended to
   * `sessions` and `at` (a session whose route uses the edge twice appears twice). Returns how many.
   */
  collect(edge: number, sessions: NavSession[], at: number[]): number {
    const p = this.lists[edge];
    if (!p) return 0;
    const d = p.d;
    let k = 0;
    for (let i = 0; i < p.n; i += 3) {
      if (!this.live(d, i)) continue;
      sessions.push(this.bySlot[d[i]!]!);
      at.push(d[i + 2]!);
      k++;
    }
    return k;
  }

  /** The distinct sessions on `edge` (undefined when none): for tests. */
  sessionsOn(edge: number): Set<NavSession> | undefined {
    const sessions: NavSession[] = [];
    return this.collect(edge, sessions, []) > 0 ? new Set(sessions) : undefined;
  }

  /** Register the session's route from its current segment on. */
  add(s: NavSession): void {
    if (s.slot < 0) s.slot = this.takeSlot(s);
    this.gen[s.slot]!++;
    this.post(s);
    this.countTiles(s);
  }

  /**
   * Swap the session's route: `swap` installs the new track. The old postings go stale with the
   * generation; the new route's tiles are retained before the old ones are released, so a tile both
   * cross keeps its subscription.
   */
  replace(s: NavSession, swap: () => void): void {
    const oldTiles = s.tiles;
    swap();
    if (s.slot < 0) s.slot = this.takeSlot(s);
    this.gen[s.slot]!++;
    this.post(s);
    s.tiles = new Map();
    this.countTiles(s);
    for (const t of oldTiles.keys()) this.releaseTile(t);
  }

  /** Forget the session (route replaced elsewhere or session gone). */
  remove(s: NavSession): void {
    if (s.slot >= 0) {
      this.gen[s.slot]!++;
      this.bySlot[s.slot] = undefined;
      this.free.push(s.slot);
      s.slot = -1;
    }
    for (const t of s.tiles.keys()) this.releaseTile(t);
    s.tiles.clear();
    s.indexedFrom = s.track.edges.length;
  }

  /** The driver reached segment `to`: the edges before it are behind (their postings go stale). */
  advance(s: NavSession, to: number): void {
    const edges = s.track.edges;
    const end = Math.min(to, edges.length);
    if (end <= s.indexedFrom) return;
    for (let i = s.indexedFrom; i < end; i++) {
      const t = this.tiles.tileOf(edges[i]!);
      const n = (s.tiles.get(t) ?? 1) - 1;
      if (n > 0) s.tiles.set(t, n);
      else {
        s.tiles.delete(t);
        this.releaseTile(t);
      }
    }
    s.indexedFrom = end;
    if (s.slot >= 0) this.from[s.slot] = end;
  }

  /**
   * Drop stale postings from up to `budget` postings' worth of lists, continuing where the last call
   * stopped (run from a timer: the memory of routes that ended or changed comes back over time).
   */
  sweep(budget: number): void {
    const lists = this.lists;
    let e = this.sweepAt;
    for (; e < lists.length && budget > 0; e++) {
      const p = lists[e];
      if (!p) continue;
      budget -= p.n / 3 + 1;
      this.compact(p);
      if (p.n === 0) {
        this.giveBack(p.d);
        lists[e] = undefined;
      } else if (p.n * 4 <= p.d.length && p.d.length > FIRST_CAPACITY) {
        // Mostly empty now (its routes moved on): a smaller array, and this one to a list that grows.
        let capacity = p.d.length;
        while (capacity > FIRST_CAPACITY && p.n * 4 <= capacity) capacity /= 2;
        const d = this.take(capacity);
        d.set(p.d.subarray(0, p.n));
        this.giveBack(p.d);
        p.d = d;
      }
    }
    this.sweepAt = e < lists.length ? e : 0;
  }

  private live(d: Int32Array, i: number): boolean {
    const slot = d[i]!;
    return this.gen[slot] === d[i + 1] && d[i + 2]! >= this.from[slot]!;
  }

  private takeSlot(s: NavSession): number {
    const slot = this.free.pop() ?? this.bySlot.length;
    if (slot >= this.gen.length) {
      const gen = new Int32Array(this.gen.length * 2);
      gen.set(this.gen);
      this.gen = gen;
      const from = new Int32Array(this.from.length * 2);
      from.set(this.from);
      this.from = from;
    }
    this.bySlot[slot] = s;
    return slot;
  }

  /** Postings for the route from s.indexedFrom (the caller bumped the generation). */
  private post(s: NavSession): void {
    const edges = s.track.edges;
    const slot = s.slot;
    const gen = this.gen[slot]!;
    s.indexedFrom = Math.max(0, s.segment);
    this.from[slot] = s.indexedFrom;
    for (let i = s.indexedFrom; i < edges.length; i++) {
      const e = edges[i]!;
      let p = this.lists[e];
      if (!p) this.lists[e] = p = { d: this.take(FIRST_CAPACITY), n: 0 };
      else if (p.n === p.d.length) {
        // Full: drop the stale postings first, and grow only if the list is still more than half full.
        this.compact(p);
        if (p.n * 2 > p.d.length) {
          const d = this.take(p.d.length * 2);
          d.set(p.d.subarray(0, p.n));
          this.giveBack(p.d);
          p.d = d;
        }
      }
      const d = p.d;
      d[p.n] = slot;
      d[p.n + 1] = gen;
      d[p.n + 2] = i;
      p.n += 3;
    }
  }

  /** A posting array of `capacity` values, reused where one is spare (its old contents are never read: n says what is in use). */
  private take(capacity: number): Int32Array {
    const d = this.spare.get(capacity)?.pop();
    if (!d) return new Int32Array(capacity);
    this.pooled -= capacity;
    return d;
  }

  private giveBack(d: Int32Array): void {
    if (this.pooled + d.length > MAX_POOLED) return;
    let list = this.spare.get(d.length);
    if (!list) this.spare.set(d.length, (list = []));
    list.push(d);
    this.pooled += d.length;
  }

  private compact(p: Postings): void {
    const d = p.d;
    let w = 0;
    for (let i = 0; i < p.n; i += 3) {
      if (!this.live(d, i)) continue;
      if (w !== i) {
        d[w] = d[i]!;
        d[w + 1] = d[i + 1]!;
        d[w + 2] = d[i + 2]!;
      }
      w += 3;
    }
    p.n = w;
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
