import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridGraph } from '@locus/routing';
import { EdgeTiles } from './edge-tiles.js';
import { decodeSession, edgesFit, encodeSession, NavSession, trackOf, type StoredSession } from './nav-session.js';
import { SessionIndex } from './session-index.js';

const grid = gridGraph({ width: 30, height: 4, spacingMeters: 2000, originLat: 43.7, originLng: 7.3, jitterMeters: 0, missingLinkRate: 0, oneWayRate: 0, restrictionRate: 0, ferries: 0 });
const graph = grid.graph;

function stored(user: string, edges: number[]): StoredSession {
  const a = graph.edgeSource[edges[0]!]!;
  const b = graph.edgeTarget[edges[edges.length - 1]!]!;
  return {
    v: 2, id: `s-${user}`, user, to: { lat: 0, lng: 0 }, vias: [], options: {}, graphVersion: 'g',
    route: { distance: 0, duration: 0, polyline: '', maneuvers: [], summary: '' },
    edges, start: [graph.nodeLng[a]!, graph.nodeLat[a]!], end: [graph.nodeLng[b]!, graph.nodeLat[b]!],
    viaAlong: [], segment: 0, last: null, startedAt: 0, reroutes: [], rev: 0,
  };
}

function session(user: string, edges: number[]): NavSession {
  const s = stored(user, edges);
  return new NavSession(s, trackOf(s, graph), 0, 1000);
}

/** A path east along the first row of the grid, `n` edges from column `from`. */
function eastPath(from: number, n: number): number[] {
  const out: number[] = [];
  for (let c = from; c < from + n; c++) {
    const a = grid.node(c, 0);
    const b = grid.node(c + 1, 0);
    for (let e = graph.firstOut[a]!; e < graph.firstOut[a + 1]!; e++) if (graph.edgeTarget[e] === b) out.push(e);
  }
  return out;
}

describe('SessionIndex', () => {
  it('subscribes each tile once while a remaining route crosses it, and only the sessions on a changed edge are found', () => {
    const subs: string[] = [];
    const tiles = new EdgeTiles(graph);
    const index = new SessionIndex(tiles, { subscribeTile: (t) => subs.push(`+${tiles.names[t]}`), unsubscribeTile: (t) => subs.push(`-${tiles.names[t]}`) });
    const a = session('a', eastPath(0, 20));
    const b = session('b', eastPath(10, 15));
    index.add(a);
    index.add(b);
    const tileNames = new Set(eastPath(0, 25).map((e) => tiles.names[tiles.tileOf(e)]));
    expect(tileNames.size).toBeGreaterThan(1);
    expect(subs.filter((x) => x.startsWith('+')).length).toBe(tileNames.size);
    expect([...(index.sessionsOn(eastPath(5, 1)[0]!) ?? [])].map((s) => s.user)).toEqual(['a']);
    expect([...(index.sessionsOn(eastPath(12, 1)[0]!) ?? [])].map((s) => s.user).sort()).toEqual(['a', 'b']);
    expect(index.sessionsOn(eastPath(26, 1)[0]!)).toBeUndefined();
    // a drives past column 12: its edges behind are forgotten, tiles it left are released.
    a.stored.segment = 13;
    index.advance(a, 13);
    expect([...(index.sessionsOn(eastPath(12, 1)[0]!) ?? [])].map((s) => s.user)).toEqual(['b']);
    index.remove(a);
    index.remove(b);
    expect(index.edgeCount).toBe(0);
    expect(index.tileCount).toBe(0);
    expect(subs.filter((x) => x.startsWith('-')).length).toBe(tileNames.size);
  });
});

describe('SessionIndex posting memory', () => {
  it('a list that grew for many sessions shrinks once they moved on, and its memory serves the lists that grow next', () => {
    const tiles = new EdgeTiles(graph);
    const index = new SessionIndex(tiles, { subscribeTile: () => undefined, unsubscribeTile: () => undefined });
    const busy = eastPath(0, 3);
    const sessions = Array.from({ length: 200 }, (_, i) => session(`u${i}`, busy));
    for (const s of sessions) index.add(s);
    const lists = (index as unknown as { lists: ({ d: Int32Array; n: number } | undefined)[] }).lists;
    const grown = lists[busy[0]!]!.d.length;
    expect(grown).toBeGreaterThanOrEqual(600);
    // All but three take another road: their postings on `busy` go stale.
    const other = eastPath(10, 3);
    for (const s of sessions.slice(3)) index.replace(s, () => (s.track = session(s.user, other).track));
    index.sweep(Infinity);
    expect(lists[busy[0]!]!.d.length).toBeLessThan(grown / 4);
    expect([...(index.sessionsOn(busy[0]!) ?? [])].map((s) => s.user).sort()).toEqual(['u0', 'u1', 'u2']);
    expect(index.sessionsOn(other[0]!)?.size).toBe(197);
    // Moving them back grows `busy` again out of the arrays given back (no new ones needed).
    const spare = index as unknown as { pooled: number };
    const before = spare.pooled;
    expect(before).toBeGreaterThan(0);
    for (const s of sessions.slice(3)) index.replace(s, () => (s.track = session(s.user, busy).track));
    expect(spare.pooled).toBeLessThan(before);
    expect(index.sessionsOn(busy[0]!)?.size).toBe(200);
    index.sweep(Infinity);
    expect(index.sessionsOn(other[0]!)).toBeUndefined();
  });
});

describe('SessionIndex.replace', () => {
  it('moves a session to its new route without dropping the subscription of a tile both routes cross', () => {
    const subs: string[] = [];
    const tiles = new EdgeTiles(graph);
    const index = new SessionIndex(tiles, { subscribeTile: (t) => subs.push(`+${tiles.names[t]}`), unsubscribeTile: (t) => subs.push(`-${tiles.names[t]}`) });
    const a = session('a', eastPath(0, 20));
    index.add(a);
    const before = subs.length;
    const next = session('a', eastPath(5, 20));
    index.replace(a, () => {
      a.stored = next.stored;
      a.track = next.track;
    });
    const oldOnly = new Set(eastPath(0, 5).map((e) => tiles.names[tiles.tileOf(e)]));
    for (const e of eastPath(5, 20)) oldOnly.delete(tiles.names[tiles.tileOf(e)]);
    const newOnly = new Set(eastPath(20, 5).map((e) => tiles.names[tiles.tileOf(e)]));
    for (const e of eastPath(0, 20)) newOnly.delete(tiles.names[tiles.tileOf(e)]);
    // Only tiles one route crosses and the other does not come and go.
    expect(subs.slice(before).sort()).toEqual([...[...newOnly].map((t) => `+${t}`), ...[...oldOnly].map((t) => `-${t}`)].sort());
    expect(index.sessionsOn(eastPath(2, 1)[0]!)).toBeUndefined();
    expect([...(index.sessionsOn(eastPath(22, 1)[0]!) ?? [])].map((s) => s.user)).toEqual(['a']);
    index.remove(a);
    expect(index.edgeCount).toBe(0);
    expect(index.tileCount).toBe(0);
  });
});

describe('SessionIndex postings', () => {
  it('finds exactly the sessions whose remaining route uses an edge, through any sequence of adds, swaps, advances and removals', () => {
    const tiles = new EdgeTiles(graph);
    const op = fc.oneof(
      fc.record({ k: fc.constant('add' as const), who: fc.nat(5), from: fc.nat(20), n: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ k: fc.constant('replace' as const), who: fc.nat(5), from: fc.nat(20), n: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ k: fc.constant('advance' as const), who: fc.nat(5), by: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ k: fc.constant('remove' as const), who: fc.nat(5) }),
      fc.record({ k: fc.constant('sweep' as const), budget: fc.integer({ min: 1, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let tileDelta = 0;
        const index = new SessionIndex(tiles, { subscribeTile: () => tileDelta++, unsubscribeTile: () => tileDelta-- });
        const active = new Map<number, NavSession>();
        // A route that runs east and comes back west over the same row uses no edge twice; this one
        // does (out and back, then out again): postings per use, not per edge.
        const route = (from: number, n: number) => [...eastPath(from, n), ...eastPath(from, n).reverse().map((e) => reverseOf(e)), ...eastPath(from, 1)];
        for (const o of ops) {
          const s = 'who' in o ? active.get(o.who) : undefined;
          if (o.k === 'add' && !s) {
            const next = session(`u${o.who}`, route(o.from, o.n));
            index.add(next);
            active.set(o.who, next);
          } else if (o.k === 'replace' && s) {
            const next = session(`u${o.who}`, route(o.from, o.n));
            index.replace(s, () => {
              s.stored = next.stored;
              s.track = next.track;
            });
          } else if (o.k === 'advance' && s) {
            const to = Math.min(s.track.edges.length, s.stored.segment + o.by);
            s.stored.segment = to;
            index.advance(s, to);
          } else if (o.k === 'remove' && s) {
            index.remove(s);
            active.delete(o.who);
          } else if (o.k === 'sweep') index.sweep(o.budget);
        }
        // The model: every use of an edge at or after the session's segment.
        const want = new Map<number, string[]>();
        for (const s of active.values()) {
          s.track.edges.forEach((e, i) => {
            if (i >= s.stored.segment) want.set(e, [...(want.get(e) ?? []), `${s.user}@${i}`]);
          });
        }
        for (let e = 0; e < graph.edgeCount; e++) {
          const got: NavSession[] = [];
          const at: number[] = [];
          index.collect(e, got, at);
          expect(got.map((s, k) => `${s.user}@${at[k]}`).sort()).toEqual((want.get(e) ?? []).sort());
        }
        // Subscriptions: one per tile some remaining route crosses.
        const crossed = new Set<number>();
        for (const s of active.values()) for (let i = s.stored.segment; i < s.track.edges.length; i++) crossed.add(tiles.tileOf(s.track.edges[i]!));
        expect(tileDelta).toBe(crossed.size);
        for (const s of active.values()) index.remove(s);
        index.sweep(Infinity);
        expect(index.edgeCount).toBe(0);
        expect(tileDelta).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});

/** The opposite direction of a grid edge. */
function reverseOf(e: number): number {
  const a = graph.edgeSource[e]!;
  const b = graph.edgeTarget[e]!;
  for (let r = graph.firstOut[b]!; r < graph.firstOut[b + 1]!; r++) if (graph.edgeTarget[r] === a) return r;
  throw new Error('no reverse edge');
}

describe('stored sessions', () => {
  it('round-trip, and anything else decodes to null without throwing', () => {
    const s = stored('x', eastPath(0, 3));
    expect(decodeSession(encodeSession(s))).toEqual(s);
    expect(edgesFit(s, graph)).toBe(true);
    expect(edgesFit({ ...s, edges: [eastPath(0, 1)[0]!, eastPath(5, 1)[0]!] }, graph)).toBe(false);
    expect(edgesFit({ ...s, edges: [graph.edgeCount] }, graph)).toBe(false);
    // A version 1 record (every vertex stored) is read as version 2: the track comes out the same.
    const coords = [s.start, ...s.edges.map((e) => [graph.nodeLng[graph.edgeTarget[e]!]!, graph.nodeLat[graph.edgeTarget[e]!]!])];
    const { start: _s, end: _e, ...rest } = s;
    const v1 = decodeSession(new TextEncoder().encode(JSON.stringify({ ...rest, v: 1, coords })));
    expect(v1).toEqual(s);
    expect([...trackOf(v1!, graph).lat]).toEqual([...trackOf(s, graph).lat]);
    for (const bad of ['', 'null', '{"v":2}', '{"v":1,"edges":[1],"coords":[]}', '{"v":2,"edges":[1],"start":[0],"end":[0,0]}', '{"v":3,"edges":[1],"start":[0,0],"end":[0,0]}', '\u00ff\u00fe', '[1,2]']) {
      expect(decodeSession(new TextEncoder().encode(bad))).toBeNull();
    }
  });
});
