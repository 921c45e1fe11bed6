import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { turnKey, type RoadGraph } from '../graph/road-graph.js';
import { gridGraph } from '../synthetic/grid-graph.js';
import { LiveSpeedTable } from '../traffic/live-speeds.js';
import { RouteService } from '../route/route-service.js';
import { EdgeSnapper } from '../snap/edge-snapper.js';
import { OpenReachability } from './reachability.js';

/** Every edge a car on edge `from` can reach over edges not closed at `now` and permitted turns (BFS: the model). */
function reachableFrom(g: RoadGraph, live: LiveSpeedTable, from: number, now: number): Uint8Array {
  const seen = new Uint8Array(g.edgeCount);
  const queue = [from];
  seen[from] = 1;
  for (let q = 0; q < queue.length; q++) {
    const e = queue[q]!;
    const v = g.edgeTarget[e]!;
    for (let f = g.firstOut[v]!; f < g.firstOut[v + 1]!; f++) {
      if ((live.speed[f] === 0 && live.expires[f]! > now) || g.bannedTurns.has(turnKey(e, f))) continue;
      if (!seen[f]) {
        seen[f] = 1;
        queue.push(f);
      }
    }
  }
  return seen;
}

describe('OpenReachability', () => {
  it("RouteService.edgeUnreachable: only when neither the destination's edge nor one back between its ends is reachable (property)", () => {
    let certain = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (seed, closed) => {
        const { graph: g } = gridGraph({ width: 6, height: 6, seed, oneWayRate: 0.3, missingLinkRate: 0.1, restrictionRate: 0.2 });
        const live = new LiveSpeedTable(g.edgeCount);
        const edges = Uint32Array.from(closed.map((c) => c % g.edgeCount));
        live.apply(edges, new Float32Array(edges.length), new Float64Array(edges.length).fill(Date.now() + 3_600_000), Date.now());
        const service = new RouteService(g, new EdgeSnapper(g), live, 'test');
        for (let from = 0; from < g.edgeCount; from += 5) {
          const truth = reachableFrom(g, live, from, Date.now());
          for (let to = 0; to < g.edgeCount; to++) {
            if (!service.edgeUnreachable(from, to)) continue;
            certain++;
            expect(truth[to]).toBe(0);
            const a = g.edgeSource[to]!;
            const b = g.edgeTarget[to]!;
            for (let f = g.firstOut[b]!; f < g.firstOut[b + 1]!; f++) if (g.edgeTarget[f] === a) expect(truth[f]).toBe(0);
          }
        }
      }),
      { numRuns: 40 },
    );
    expect(certain).toBeGreaterThan(0);
  });

  it('never calls a reachable edge unreachable, and finds the pockets closures cut off (property)', () => {
    let certain = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (seed, closed) => {
        const { graph: g } = gridGraph({ width: 8, height: 8, seed, oneWayRate: 0.3, missingLinkRate: 0.1, restrictionRate: 0.2 });
        const live = new LiveSpeedTable(g.edgeCount);
        let now = 1_000;
        const edges = Uint32Array.from(closed.map((c) => c % g.edgeCount));
        live.apply(edges, new Float32Array(edges.length), Float64Array.from(edges, (_, i) => 2_000 + 100 * i), now);
        const reach = new OpenReachability(g, live, () => now);
        for (const t of [1_000, 2_050]) {
          now = t;
          for (let from = 0; from < g.edgeCount; from += 7) {
            const truth = reachableFrom(g, live, from, now);
            for (let to = 0; to < g.edgeCount; to++) {
              if (!reach.cannotReach(from, to)) continue;
              certain++;
              expect(truth[to]).toBe(0);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(certain).toBeGreaterThan(0);
  });

  it('forgets a closure once it expires', () => {
    const { graph: g } = gridGraph({ width: 3, height: 1, seed: 1, oneWayRate: 0, missingLinkRate: 0 });
    const live = new LiveSpeedTable(g.edgeCount);
    let now = 0;
    // A row of three nodes, every edge into node 0 closed until t = 500.
    const into0: number[] = [];
    for (let e = 0; e < g.edgeCount; e++) if (g.edgeTarget[e] === 0) into0.push(e);
    live.apply(Uint32Array.from(into0), new Float32Array(into0.length), new Float64Array(into0.length).fill(500), now);
    const reach = new OpenReachability(g, live, () => now);
    const out0 = [...Array(g.edgeCount).keys()].find((e) => g.edgeSource[e] === 0)!;
    const from2 = [...Array(g.edgeCount).keys()].find((e) => g.edgeSource[e] === 2)!;
    expect(reach.cannotReach(from2, out0)).toBe(true);
    now = 600;
    expect(reach.cannotReach(from2, out0)).toBe(false);
  });

  it('makes its pass again when the closures change, not for speed-only batches', () => {
    const { graph: g } = gridGraph({ width: 3, height: 3, seed: 1, oneWayRate: 0, missingLinkRate: 0 });
    const live = new LiveSpeedTable(g.edgeCount);
    const now = 0;
    const reach = new OpenReachability(g, live, () => now);
    const far = Float64Array.of(1_000);
    reach.cannotReach(0, 1);
    expect(reach.passes).toBe(1);
    live.apply(Uint32Array.of(2), Float32Array.of(20), far, now);
    live.apply(Uint32Array.of(3), Float32Array.of(5), far, now);
    reach.cannotReach(0, 1);
    expect(reach.passes).toBe(1);
    live.apply(Uint32Array.of(2), Float32Array.of(0), far, now);
    reach.cannotReach(0, 1);
    expect(reach.passes).toBe(2);
    live.apply(Uint32Array.of(2), Float32Array.of(0), far, now); // the same closure again: nothing changed
    reach.cannotReach(0, 1);
    expect(reach.passes).toBe(2);
    live.apply(Uint32Array.of(2), Float32Array.of(40), far, now); // lifted
    reach.cannotReach(0, 1);
    expect(reach.passes).toBe(3);
  });
});
