import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridGraph } from '../synthetic/index.js';
import { RouteTrack } from './route-track.js';
import { sizeClass, TrackBuffers } from './track-buffers.js';

describe('sizeClass', () => {
  it('covers the request with at most a quarter to spare, and is its own class (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (bytes) => {
        const c = sizeClass(bytes);
        expect(c).toBeGreaterThanOrEqual(bytes);
        expect(c).toBeLessThanOrEqual(Math.max(1024, bytes * 1.25 + 1));
        expect(sizeClass(c)).toBe(c);
        expect(c % 8).toBe(0);
      }),
    );
  });
});

describe('TrackBuffers', () => {
  it('hands a buffer back detached (old views read empty) and gives the memory out again zeroed', () => {
    const buffers = new TrackBuffers();
    const a = buffers.take(5000);
    expect(a.byteLength).toBe(sizeClass(5000));
    const view = new Float64Array(a);
    view.fill(7);
    buffers.give(a);
    expect(view.length).toBe(0); // a stale reference sees nothing, and cannot write into the next owner
    expect(a.byteLength).toBe(0);
    buffers.give(a); // handing back twice is harmless
    expect(buffers.pooledBytes).toBe(sizeClass(5000));
    const b = buffers.take(4900); // the same class
    expect(buffers.reused).toBe(1);
    expect(buffers.made).toBe(1);
    expect(new Float64Array(b).every((x) => x === 0)).toBe(true);
    expect(buffers.pooledBytes).toBe(0);
  });

  it('keeps no more than its limit for reuse', () => {
    const buffers = new TrackBuffers(4096);
    const bufs = [buffers.take(2048), buffers.take(2048), buffers.take(2048)];
    for (const b of bufs) buffers.give(b);
    expect(buffers.pooledBytes).toBe(4096);
    buffers.give(new ArrayBuffer(3000)); // not one of its classes: ignored
    expect(buffers.pooledBytes).toBe(4096);
  });
});

describe('RouteTrack on TrackBuffers', () => {
  const { graph } = gridGraph({ width: 12, height: 3, spacingMeters: 400, originLat: 43.7, originLng: 7.4, jitterMeters: 0, missingLinkRate: 0, oneWayRate: 0, restrictionRate: 0, ferries: 0 });
  /** A path of `n` edges, each starting where the last ended. */
  const path = (n: number): number[] => {
    const edges: number[] = [];
    let v = 0;
    for (let i = 0; i < n; i++) {
      const e = graph.firstOut[v]!;
      edges.push(e);
      v = graph.edgeTarget[e]!;
    }
    return edges;
  };
  const ends = (edges: number[]): [[number, number], [number, number]] => {
    const a = graph.edgeSource[edges[0]!]!;
    const b = graph.edgeTarget[edges[edges.length - 1]!]!;
    return [
      [graph.nodeLng[a]!, graph.nodeLat[a]!],
      [graph.nodeLng[b]!, graph.nodeLat[b]!],
    ];
  };

  it('is the same track with pooled storage, and a released track reads empty while its memory serves the next', () => {
    const buffers = new TrackBuffers();
    const edges = path(9);
    const [start, end] = ends(edges);
    const plain = RouteTrack.alongEdges(graph, edges, start, end);
    const pooled = RouteTrack.alongEdges(graph, edges, start, end, buffers);
    for (const k of ['lat', 'lng', 'cumM', 'edges', 'segS', 'suffixS'] as const) expect(Array.from(pooled[k])).toEqual(Array.from(plain[k]));
    expect(pooled.totalM).toBe(plain.totalM);
    pooled.updateTimes(graph, { travelSeconds: () => 10 });
    expect(pooled.suffixS[0]).toBeGreaterThan(0);
    pooled.release(buffers);
    expect(pooled.lat.length).toBe(0);
    expect(pooled.suffixS.length).toBe(0);
    // The next track of a similar length takes the same memory, zeroed where it has not written.
    const other = path(8);
    const [s2, e2] = ends(other);
    const next = RouteTrack.alongEdges(graph, other, s2, e2, buffers);
    expect(buffers.reused).toBe(1);
    expect(Array.from(next.segS).every((x) => x === 0)).toBe(true);
    expect(next.suffixS[0]).toBe(0);
    expect(Array.from(next.edges)).toEqual(other);
    plain.release(buffers); // a track made without buffers has nothing to hand back
    expect(plain.lat.length).toBe(10);
  });
});
