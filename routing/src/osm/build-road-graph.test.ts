import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_KMH, EdgeFlag, RoadClass } from '../graph/road-class.js';
import { turnKey, type RoadGraph } from '../graph/road-graph.js';
import { buildRoadGraph } from './build-road-graph.js';
import type { OsmItem, OsmRelation, OsmTags } from './osm-item.js';
import { CENTER, crossroadsNodes, edgeBetween, edgesOfWay, node, restriction, way } from './osm-fixture.js';
import { onewayOf } from './oneway.js';
import { MIN_EDGE_LENGTH_M } from './way-edges.js';

/** The crossroads with two-way residential arms: 10 = 4→5 (west), 11 = 5→2 (east), 12 = 1→5 (north), 13 = 5→3 (south). */
function crossroads(tags: Partial<Record<10 | 11 | 12 | 13, OsmTags>> = {}): OsmItem[] {
  const arm = (id: 10 | 11 | 12 | 13, refs: number[]) => way(id, refs, { highway: 'residential', ...tags[id] });
  return [...crossroadsNodes(), arm(10, [4, 5]), arm(11, [5, 2]), arm(12, [1, 5]), arm(13, [5, 3])];
}

/** Banned turns as "a>b>c" (OSM node ids along the turn), sorted. */
function bans(g: RoadGraph): string[] {
  const out: string[] = [];
  for (let a = 0; a < g.edgeCount; a++) {
    for (let b = 0; b < g.edgeCount; b++) {
      if (g.bannedTurns.has(turnKey(a, b))) out.push(`${g.nodeOsmId[g.edgeSource[a]!]}>${g.nodeOsmId[g.edgeTarget[a]!]}>${g.nodeOsmId[g.edgeTarget[b]!]}`);
    }
  }
  return out.sort();
}

describe('buildRoadGraph: ways to edges', () => {
  it('makes one edge per direction per segment, with length, class, way and direction', () => {
    const { graph: g, stats } = buildRoadGraph(crossroads());
    expect(g.nodeCount).toBe(5);
    expect(g.edgeCount).toBe(8);
    expect(stats).toMatchObject({ nodes: 5, edges: 8, ways: { kept: 4 }, oneways: 0 });
    const e = edgeBetween(g, 4, 5);
    expect(g.edgeLength[e]).toBeCloseTo(80.4, 0); // 0.001° of longitude at 43.73° N
    expect(g.edgeClass[e]).toBe(RoadClass.residential);
    expect(g.edgeSpeed[e]).toBe(DEFAULT_SPEED_KMH.residential);
    expect(g.edgeWay[e]).toBe(10);
    expect(g.edgeForward[e]).toBe(1);
    expect(g.edgeForward[edgeBetween(g, 5, 4)]).toBe(0);
  });

  it('follows oneway=yes / -1 / no', () => {
    const { graph: g, stats } = buildRoadGraph(crossroads({ 10: { oneway: 'yes' }, 11: { oneway: '-1' }, 12: { oneway: 'no' }, 13: { oneway: 'reverse' } }));
    expect(edgesOfWay(g, 10)).toEqual(['4>5']);
    expect(edgesOfWay(g, 11)).toEqual(['2>5']);
    expect(g.edgeForward[edgeBetween(g, 2, 5)]).toBe(0);
    expect(edgesOfWay(g, 12)).toEqual(['1>5', '5>1']);
    expect(edgesOfWay(g, 13)).toEqual(['3>5']);
    expect(stats.oneways).toBe(3);
  });

  it('implies oneway on motorways and roundabouts, and flags roundabout edges', () => {
    const ring = (tags: OsmTags) => buildRoadGraph([...crossroadsNodes(), way(20, [1, 2, 3, 4, 1], { highway: 'primary', junction: 'roundabout', ...tags })]).graph;
    const g = ring({});
    expect(edgesOfWay(g, 20)).toEqual(['1>2', '2>3', '3>4', '4>1']);
    for (let e = 0; e < g.edgeCount; e++) expect(g.edgeFlags[e]! & EdgeFlag.roundabout).toBe(EdgeFlag.roundabout);
    expect(ring({ oneway: 'no' }).edgeCount).toBe(8);

    const mw = buildRoadGraph(crossroads({ 10: { highway: 'motorway' }, 11: { highway: 'motorway_link' } })).graph;
    expect(edgesOfWay(mw, 10)).toEqual(['4>5']);
    expect(edgesOfWay(mw, 11)).toEqual(['5>2']);
    expect(mw.edgeFlags[edgeBetween(mw, 4, 5)]! & EdgeFlag.highway).toBe(EdgeFlag.highway);
  });

  it('applies maxspeed, mph and maxspeed:forward / :backward per direction', () => {
    const { graph: g } = buildRoadGraph(crossroads({ 10: { maxspeed: '30 mph' }, 11: { maxspeed: '50', 'maxspeed:forward': '70', 'maxspeed:backward': '30' } }));
    expect(g.edgeSpeed[edgeBetween(g, 4, 5)]).toBeCloseTo(48.28, 2);
    expect(g.edgeSpeed[edgeBetween(g, 5, 4)]).toBeCloseTo(48.28, 2);
    expect(g.edgeSpeed[edgeBetween(g, 5, 2)]).toBe(70);
    expect(g.edgeSpeed[edgeBetween(g, 2, 5)]).toBe(30);
    expect(g.maxSpeedKmh).toBe(70);
  });

  it('drops private roads unless a car tag allows them', () => {
    const { graph: g, stats } = buildRoadGraph(crossroads({ 10: { access: 'private' }, 11: { access: 'private', motorcar: 'yes' }, 12: { motor_vehicle: 'no' } }));
    expect(edgesOfWay(g, 10)).toEqual([]);
    expect(edgesOfWay(g, 11)).toEqual(['2>5', '5>2']);
    expect(edgesOfWay(g, 12)).toEqual([]);
    expect(stats.ways.skipped.noAccess).toBe(2);
    expect(g.nodeCount).toBe(3); // 4 and 1 belong to no car road
  });

  it('flags toll roads and counts them', () => {
    const { graph: g, stats } = buildRoadGraph(crossroads({ 10: { highway: 'motorway', toll: 'yes' } }));
    expect(g.edgeFlags[edgeBetween(g, 4, 5)]).toBe(EdgeFlag.toll | EdgeFlag.highway);
    expect(g.edgeFlags[edgeBetween(g, 5, 2)]).toBe(0);
    expect(stats.tolls).toBe(1);
  });

  it('keeps a car ferry (speed from its duration) and drops a passenger ferry', () => {
    const port = node(6, CENTER.lat - 0.1, CENTER.lng); // about 11 km south
    const items = [
      ...crossroads(),
      port,
      way(30, [3, 6], { route: 'ferry', motorcar: 'yes', duration: '00:30' }),
      way(31, [3, 6], { route: 'ferry', name: 'Bateau Bus' }),
    ];
    const { graph: g, stats } = buildRoadGraph(items);
    expect(edgesOfWay(g, 30)).toEqual(['3>6', '6>3']);
    expect(edgesOfWay(g, 31)).toEqual([]);
    const e = edgeBetween(g, 3, 6);
    expect(g.edgeClass[e]).toBe(RoadClass.ferry);
    expect(g.edgeFlags[e]! & EdgeFlag.ferry).toBe(EdgeFlag.ferry);
    expect(g.edgeSpeed[e]).toBeCloseTo(g.edgeLength[e]! / 1000 / 0.5, 3);
    expect(stats.ferries).toBe(1);
    expect(stats.ways.skipped.passengerFerry).toBe(1);
  });

  it('cuts a way where it leaves the extract, never bridging the gap', () => {
    const { graph: g, stats } = buildRoadGraph([...crossroadsNodes(), way(40, [4, 5, 99, 2], { highway: 'primary' }), way(41, [97, 98], { highway: 'primary' })]);
    expect(edgesOfWay(g, 40)).toEqual(['4>5', '5>4']);
    expect(g.nodeCount).toBe(2);
    expect(stats.ways).toMatchObject({ kept: 1, split: 1 });
    expect(stats.ways.skipped.noSegment).toBe(1);
  });

  it('keeps the class default speed for a ferry cut by the border (its duration covers the whole crossing)', () => {
    const { graph: g } = buildRoadGraph([...crossroadsNodes(), way(32, [3, 4, 99], { route: 'ferry', motor_vehicle: 'yes', duration: '5' })]);
    expect(g.edgeSpeed[edgeBetween(g, 3, 4)]).toBe(DEFAULT_SPEED_KMH.ferry);
  });

  it('does not depend on item order (fixtures may list ways before nodes)', () => {
    const items = crossroads({ 10: { oneway: 'yes' } });
    const a = buildRoadGraph(items).graph;
    const b = buildRoadGraph([...items].reverse()).graph;
    expect(edgesOfWay(b, 10)).toEqual(edgesOfWay(a, 10));
    expect(b.edgeCount).toBe(a.edgeCount);
  });

  it('gives every edge a positive length, even between distinct nodes at the same spot', () => {
    const { graph: g } = buildRoadGraph([node(1, 43.7, 7.4), node(2, 43.7, 7.4), node(3, 43.7, 7.401), way(1, [1, 2, 2, 3], { highway: 'service' })]);
    expect(edgesOfWay(g, 1)).toEqual(['1>2', '2>1', '2>3', '3>2']);
    expect(g.edgeLength[edgeBetween(g, 1, 2)]).toBeCloseTo(MIN_EDGE_LENGTH_M, 5);
  });
});

describe('buildRoadGraph: turn restrictions', () => {
  // Coming from the west (4→5): north (5→1) is a left turn, east (5→2) straight on, south (5→3) right.
  it('no_left_turn bans exactly the left turn', () => {
    const { graph: g, stats } = buildRoadGraph([...crossroads(), restriction(100, 'no_left_turn', 10, 5, 12)]);
    expect(bans(g)).toEqual(['4>5>1']);
    expect(stats.restrictions.applied).toBe(1);
    expect(stats.bannedTurns).toBe(1);
  });

  it('only_straight_on bans every other way out, U-turn included', () => {
    const { graph: g } = buildRoadGraph([...crossroads(), restriction(101, 'only_straight_on', 10, 5, 11)]);
    expect(bans(g)).toEqual(['4>5>1', '4>5>3', '4>5>4']);
  });

  it('applies to whichever edges exist: a to way drawn towards the via is left by its backward edge', () => {
    const { graph: g } = buildRoadGraph([...crossroads(), restriction(102, 'no_right_turn', 12, 5, 10)]);
    // From the north (1→5), right is west: way 10 drawn 4→5 is left by its backward edge 5→4.
    expect(bans(g)).toEqual(['1>5>4']);
  });

  it('handles only_* whose to way runs through the via (two ways out along it)', () => {
    const items: OsmItem[] = [...crossroadsNodes(), way(50, [4, 5, 2], { highway: 'primary' }), way(51, [1, 5], { highway: 'primary', oneway: 'yes' }), way(52, [5, 3], { highway: 'primary' })];
    const { graph: g } = buildRoadGraph([...items, restriction(103, 'only_left_turn', 51, 5, 50)]);
    // From the north both 5→4 and 5→2 belong to way 50: only the turn south is banned.
    expect(bans(g)).toEqual(['1>5>3']);
  });

  it('skips and counts a via-way restriction', () => {
    const viaWay: OsmRelation = {
      type: 'relation',
      id: 104,
      tags: { type: 'restriction', restriction: 'no_u_turn' },
      members: [
        { type: 'way', ref: 10, role: 'from' },
        { type: 'way', ref: 11, role: 'via' },
        { type: 'way', ref: 12, role: 'to' },
      ],
    };
    const { graph: g, stats } = buildRoadGraph([...crossroads(), viaWay]);
    expect(g.bannedTurns.size).toBe(0);
    expect(stats.restrictions).toMatchObject({ applied: 0, skipped: { viaWay: 1 } });
  });

  it('skips and counts restrictions with missing or non-adjacent members', () => {
    const { graph: g, stats } = buildRoadGraph([
      ...crossroads({ 12: { oneway: 'yes' }, 13: { highway: 'footway' } }),
      restriction(105, 'no_right_turn', 10, 5, 13), // 13 is a footway: not in the graph
      restriction(106, 'no_left_turn', 10, 5, 12), // 12 is one-way into 5: no edge of it leaves 5
      restriction(107, 'no_left_turn', 10, 1, 12), // 10 does not touch node 1
      restriction(108, 'no_left_turn', 10, 777, 12), // unknown via node
    ]);
    expect(g.bannedTurns.size).toBe(0);
    expect(stats.restrictions).toMatchObject({ applied: 0, skipped: { missingMember: 2, notAdjacent: 2 } });
  });
});

describe('buildRoadGraph: invariants (property)', () => {
  const HIGHWAYS = ['primary', 'residential', 'motorway', 'service', 'footway'];
  const ONEWAYS = [undefined, 'yes', '-1', 'no', 'reversible'];
  const PRESENT = 12; // node ids 1..12 exist; 13..15 are outside the extract

  it('every edge is a segment of its way, in an allowed direction, and every allowed segment is an edge', () => {
    const wayArb = fc.record({
      refs: fc.array(fc.integer({ min: 1, max: PRESENT + 3 }), { minLength: 1, maxLength: 6 }),
      highway: fc.constantFrom(...HIGHWAYS),
      oneway: fc.constantFrom(...ONEWAYS),
    });
    fc.assert(
      fc.property(fc.array(wayArb, { maxLength: 8 }), (specs) => {
        const items: OsmItem[] = [];
        for (let id = 1; id <= PRESENT; id++) items.push(node(id, 43.7 + (id % 4) * 0.001, 7.4 + Math.floor(id / 4) * 0.001));
        specs.forEach((s, i) => items.push(way(1000 + i, s.refs, s.oneway === undefined ? { highway: s.highway } : { highway: s.highway, oneway: s.oneway })));
        const { graph: g } = buildRoadGraph(items);

        let expected = 0;
        const allowed = new Set<string>();
        specs.forEach((s, i) => {
          if (s.highway === 'footway' || s.oneway === 'reversible') return;
          const o = onewayOf(s.oneway === undefined ? { highway: s.highway } : { highway: s.highway, oneway: s.oneway });
          for (let k = 0; k + 1 < s.refs.length; k++) {
            const a = s.refs[k]!;
            const b = s.refs[k + 1]!;
            if (a > PRESENT || b > PRESENT || a === b) continue;
            if (o !== 'backward') {
              expected++;
              allowed.add(`${1000 + i}:${a}>${b}:1`);
            }
            if (o !== 'forward') {
              expected++;
              allowed.add(`${1000 + i}:${b}>${a}:0`);
            }
          }
        });
        expect(g.edgeCount).toBe(expected);
        for (let e = 0; e < g.edgeCount; e++) {
          expect(allowed.has(`${g.edgeWay[e]}:${g.nodeOsmId[g.edgeSource[e]!]}>${g.nodeOsmId[g.edgeTarget[e]!]}:${g.edgeForward[e]}`)).toBe(true);
          expect(g.edgeLength[e]).toBeGreaterThan(0);
        }
      }),
    );
  });
});
