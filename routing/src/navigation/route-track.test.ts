import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoadGraph } from '../graph/road-graph.js';
import { emptyMatch, RouteTrack } from './route-track.js';
import { DEFAULT_OFF_ROUTE, judgeFix, nextAwayCount, type FixVerdict } from './off-route.js';

const M_PER_DEG_LAT = 111_195;

/** A zig-zag route near Monaco: `n` segments of ~100 m, alternating east and north-east. */
function zigzag(n: number): [number, number][] {
  const coords: [number, number][] = [[7.42, 43.73]];
  for (let i = 0; i < n; i++) {
    const [lng, lat] = coords[i]!;
    coords.push(i % 2 === 0 ? [lng + 0.0012, lat] : [lng + 0.0008, lat + 0.0007]);
  }
  return coords;
}

describe('RouteTrack', () => {
  it('splits the route into runs of one street that cover every segment once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: 1, maxLength: 60 }), (names) => {
        // Edge i is named names[i]; the track's edges are 0 … n-1.
        const graph = { edgeName: Int32Array.from(names) } as unknown as RoadGraph;
        const track = new RouteTrack(zigzag(names.length), names.map((_, i) => i));
        const { start, name } = track.streetRuns(graph);
        expect(track.streetRuns(graph).start).toBe(start); // made once
        expect(start[0]).toBe(0);
        expect(start[name.length]).toBe(names.length);
        const again: number[] = [];
        for (let r = 0; r < name.length; r++) {
          expect(start[r + 1]!).toBeGreaterThan(start[r]!);
          if (r > 0) expect(name[r]).not.toBe(name[r - 1]);
          for (let i = start[r]!; i < start[r + 1]!; i++) again.push(name[r]!);
        }
        expect(again).toEqual(names);
      }),
    );
  });

  it('rejects a track whose vertices do not match its edges', () => {
    expect(() => new RouteTrack([[7, 43]], [])).toThrow(RangeError);
    expect(() => new RouteTrack(zigzag(3), [1, 2])).toThrow(RangeError);
  });

  it('matches points on the route to themselves and measures sideways offsets', () => {
    const coords = zigzag(20);
    const track = new RouteTrack(coords, coords.slice(1).map((_, i) => i));
    const out = emptyMatch();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 60, noNaN: true }), (seg, f, side) => {
        const a = coords[seg]!;
        const b = coords[seg + 1]!;
        // A point `side` metres north of the route (north is sideways on the east-going legs).
        const lng = a[0] + (b[0] - a[0]) * f;
        const lat = a[1] + (b[1] - a[1]) * f + (seg % 2 === 0 ? side / M_PER_DEG_LAT : 0);
        track.matchInto(lat, lng, 0, 1e9, out);
        if (seg % 2 === 0 && side < 5) {
          expect(out.segment).toBe(seg);
          expect(Math.abs(out.offRouteM - side)).toBeLessThan(0.5);
        }
        expect(out.offRouteM).toBeLessThanOrEqual(side + 0.5);
        expect(out.alongM).toBeGreaterThanOrEqual(0);
        expect(out.alongM).toBeLessThanOrEqual(track.totalM + 1e-6);
        expect(track.remainingMeters(out)).toBeCloseTo(track.totalM - out.alongM, 6);
      }),
    );
  });

  it('matches a route that passes the same place twice where the driver is', () => {
    // Out 5 segments east, then back west on the same road: the point near the start is matched at
    // the start while the driver is there, and on the way back once progress has moved on.
    const out5: [number, number][] = [];
    for (let i = 0; i <= 5; i++) out5.push([7.42 + i * 0.001, 43.73]);
    const coords = [...out5, ...out5.slice(0, 5).reverse()];
    const track = new RouteTrack(coords, coords.slice(1).map((_, i) => i));
    const m = emptyMatch();
    track.matchInto(43.73, 7.4205, 0, 300, m);
    expect(m.segment).toBe(0);
    track.matchInto(43.73, 7.4205, 8, 300, m);
    expect(m.segment).toBe(9);
  });

  it('keeps remaining time in step with per-segment times', () => {
    const coords = zigzag(4);
    const track = new RouteTrack(coords, [0, 1, 2, 3]);
    const graph = { edgeLength: new Float32Array([track.cumM[1]!, track.cumM[2]! - track.cumM[1]!, track.cumM[3]! - track.cumM[2]!, track.cumM[4]! - track.cumM[3]!]) };
    track.updateTimes(graph as never, { travelSeconds: (e: number) => 10 * (e + 1) });
    const m = emptyMatch();
    m.segment = 1;
    m.fraction = 0.5;
    expect(track.remainingSeconds(m)).toBeCloseTo(10 + 30 + 40, 3);
    track.updateTimes(graph as never, { travelSeconds: (e: number) => (e === 3 ? Infinity : 1) });
    expect(track.remainingSeconds(m)).toBe(Infinity);
  });

  it('updates the times of the changed segments only as a full update would (property)', () => {
    const coords = zigzag(30);
    // Edges repeat (a route may use an edge twice): a change reaches every position of it.
    const edges = coords.slice(1).map((_, i) => i % 12);
    const track = new RouteTrack(coords, edges);
    const whole = new RouteTrack(coords, edges);
    const graph = { edgeLength: new Float32Array(12).fill(150) };
    fc.assert(
      fc.property(fc.array(fc.record({ edge: fc.nat(11), seconds: fc.oneof(fc.double({ min: 0, max: 500, noNaN: true }), fc.constant(Infinity)) }), { maxLength: 8 }), (changes) => {
        const speeds = Array.from({ length: 12 }, (_, e) => 5 + e);
        track.updateTimes(graph as never, { travelSeconds: (e) => speeds[e]! });
        const positions: number[] = [];
        for (const c of changes) {
          speeds[c.edge] = c.seconds;
          edges.forEach((e, i) => e === c.edge && positions.push(i));
        }
        track.updateTimesAt(graph as never, { travelSeconds: (e) => speeds[e]! }, positions, positions.length);
        whole.updateTimes(graph as never, { travelSeconds: (e) => speeds[e]! });
        expect(Array.from(track.segS)).toEqual(Array.from(whole.segS));
        expect(Array.from(track.suffixS)).toEqual(Array.from(whole.suffixS));
      }),
    );
  });

  it('places maneuvers along the track and finds the next one', () => {
    const coords = zigzag(4);
    const track = new RouteTrack(coords, [0, 1, 2, 3]);
    track.setManeuvers([100, 200, 0]);
    expect(track.maneuverAlong[0]).toBe(0);
    expect(track.maneuverAlong[2]).toBeCloseTo(track.totalM, 6);
    expect(track.nextManeuver(0)).toBe(1);
    expect(track.nextManeuver(track.totalM)).toBe(-1);
  });
});

describe('off-route hysteresis', () => {
  const run = (fixes: [number, number][]): FixVerdict[] => {
    let away = 0;
    return fixes.map(([d, acc]) => {
      const v = judgeFix(DEFAULT_OFF_ROUTE, away, d, acc);
      away = nextAwayCount(v, away);
      return v;
    });
  };

  it('needs consecutive away fixes, counts the accuracy and ignores useless fixes', () => {
    expect(run([[50, 5], [50, 5], [50, 5]])).toEqual(['away', 'away', 'off']);
    expect(run([[50, 5], [10, 5], [50, 5], [50, 5]])).toEqual(['away', 'on', 'away', 'away']);
    expect(run([[50, 25], [50, 25], [50, 25]])).toEqual(['on', 'on', 'on']);
    expect(run([[50, 5], [500, 500], [50, 5], [50, 5]])).toEqual(['away', 'ignored', 'away', 'off']);
  });
});
