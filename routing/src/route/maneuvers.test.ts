import { describe, expect, it } from 'vitest';
import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import { buildManeuvers, modifierOf, signedTurnAngle } from './maneuvers.js';

describe('maneuvers', () => {
  it('classifies turn angles', () => {
    expect(signedTurnAngle(0, 90)).toBe(90);
    expect(signedTurnAngle(350, 10)).toBe(20);
    expect(modifierOf(5)).toBe('straight');
    expect(modifierOf(30)).toBe('slight right');
    expect(modifierOf(-90)).toBe('left');
    expect(modifierOf(150)).toBe('sharp right');
    expect(modifierOf(179)).toBe('uturn');
  });

  it('names streets and turns: depart, turn left onto, continue onto, arrive', () => {
    const b = new RoadGraphBuilder();
    const n0 = b.addNode(43.7, 7.4);
    const n1 = b.addNode(43.701, 7.4); // north
    const n2 = b.addNode(43.702, 7.4); // north, same street
    const n3 = b.addNode(43.702, 7.398); // west: a left turn
    const n4 = b.addNode(43.702, 7.396); // straight on, new name
    const road = { speedKmh: 36, roadClass: RoadClass.residential };
    const e0 = b.addEdge({ from: n0, to: n1, ...road, name: 'Rue A' });
    const e1 = b.addEdge({ from: n1, to: n2, ...road, name: 'Rue A' });
    const e2 = b.addEdge({ from: n2, to: n3, ...road, name: 'Rue B' });
    const e3 = b.addEdge({ from: n3, to: n4, ...road, name: 'Rue C' });
    const g = b.build();
    const ids = [e0, e1, e2, e3].map((_, i) => i); // edges sorted by source: same order here
    const m = buildManeuvers(g, ids, [100, 100, 160, 160], [10, 10, 16, 16], { lat: 43.7, lng: 7.4 }, { lat: 43.702, lng: 7.396 });
    expect(m.map((x) => x.instruction)).toEqual(['Head north on Rue A', 'Turn left onto Rue B', 'Continue onto Rue C', 'Arrive at your destination']);
    expect(m[0]!.distance).toBe(200);
    expect(m[1]!.duration).toBe(16);
  });

  it('counts roundabout exits', () => {
    const b = new RoadGraphBuilder();
    const c = [b.addNode(43.7, 7.4), b.addNode(43.7005, 7.4005), b.addNode(43.701, 7.4), b.addNode(43.7005, 7.3995)];
    const entry = b.addNode(43.699, 7.4);
    const exit1 = b.addNode(43.7005, 7.402);
    const exit2 = b.addNode(43.702, 7.4);
    const r = { speedKmh: 30, roadClass: RoadClass.tertiary, flags: EdgeFlag.roundabout, name: 'Rond-point' };
    b.addEdge({ from: entry, to: c[0]!, speedKmh: 30, roadClass: RoadClass.tertiary, name: 'Avenue In' });
    for (let i = 0; i < 4; i++) b.addEdge({ from: c[i]!, to: c[(i + 1) % 4]!, ...r });
    b.addEdge({ from: c[1]!, to: exit1, speedKmh: 30, roadClass: RoadClass.tertiary, name: 'First Exit' });
    b.addEdge({ from: c[2]!, to: exit2, speedKmh: 30, roadClass: RoadClass.tertiary, name: 'Avenue Out' });
    const g = b.build();
    const edgeFrom = (from: number, to: number) => {
      for (let e = g.firstOut[from]!; e < g.firstOut[from + 1]!; e++) if (g.edgeTarget[e] === to) return e;
      throw new Error('no edge');
    };
    const route = [edgeFrom(entry, c[0]!), edgeFrom(c[0]!, c[1]!), edgeFrom(c[1]!, c[2]!), edgeFrom(c[2]!, exit2)];
    const m = buildManeuvers(g, route, [1, 1, 1, 1], [1, 1, 1, 1], { lat: 43.699, lng: 7.4 }, { lat: 43.702, lng: 7.4 });
    expect(m[1]).toMatchObject({ type: 'roundabout', exit: 2, instruction: 'At the roundabout, take the 2nd exit onto Avenue Out' });
  });
});
