import { describe, expect, it } from 'vitest';
import type { OsmRoad } from '../osm/osm-extract.js';
import { streetsOf } from './streets.js';

let n = 0;
function road(name: string | undefined, ...pts: [number, number][]): OsmRoad {
  const r: OsmRoad = { osmId: `w${++n}`, highway: 'residential', coords: Float64Array.from(pts.flat()), tags: {} };
  if (name !== undefined) r.name = name;
  return r;
}

describe('streetsOf', () => {
  it('joins the ways of one street, whatever their spelling, and keeps the commonest spelling', () => {
    const streets = streetsOf([
      road('Chemin des Oeillets', [43.7, 7.4], [43.701, 7.4]),
      road('Chemin des Œillets', [43.701, 7.4], [43.702, 7.4]),
      road('Chemin des Œillets', [43.702, 7.4], [43.703, 7.401]),
    ]);
    expect(streets).toHaveLength(1);
    expect(streets[0]!.label).toBe('Chemin des Œillets');
    expect(streets[0]!.lines).toHaveLength(3);
  });

  it('keeps one name in two places apart', () => {
    const streets = streetsOf([
      road('Avenue de Verdun', [43.745, 7.427], [43.746, 7.428]),
      road('Avenue de Verdun', [43.761, 7.474], [43.762, 7.475]),
    ]);
    expect(streets).toHaveLength(2);
  });

  it('ignores unnamed roads and places its point on the street near the middle', () => {
    // An L-shaped street: the centroid of its segments lies off the street, the answer must not.
    const streets = streetsOf([road(undefined, [0, 0], [1, 1]), road('Rue Coudée', [43.7, 7.4], [43.71, 7.4], [43.71, 7.41])]);
    expect(streets).toHaveLength(1);
    const s = streets[0]!;
    const onVertical = Math.abs(s.lng - 7.4) < 1e-9 && s.lat >= 43.7 && s.lat <= 43.71;
    const onHorizontal = Math.abs(s.lat - 43.71) < 1e-9 && s.lng >= 7.4 && s.lng <= 7.41;
    expect(onVertical || onHorizontal).toBe(true);
  });
});
