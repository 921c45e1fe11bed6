import { describe, expect, it } from 'vitest';
import type { OsmPoi, OsmRoad } from '../osm/osm-extract.js';
import { poiFeatures, roadFeatures } from './tile-features.js';

function road(highway: string, tags: Record<string, string> = {}, name?: string): OsmRoad {
  // lat,lng pairs: (43.73, 7.42) then (43.74, 7.43).
  const r: OsmRoad = { osmId: 'w1', highway, coords: new Float64Array([43.73, 7.42, 43.74, 7.43]), tags: { highway, ...tags } };
  if (name) r.name = name;
  return r;
}

describe('roadFeatures', () => {
  it('maps class, keeps highway and name, and writes [lng, lat] positions', () => {
    const [f] = roadFeatures([road('primary_link', {}, 'Boulevard Albert 1er')]).features;
    expect(f?.properties).toEqual({ class: 'primary', highway: 'primary_link', name: 'Boulevard Albert 1er' });
    expect(f?.geometry.coordinates).toEqual([
      [7.42, 43.73],
      [7.43, 43.74],
    ]);
  });

  it('leaves out roads that are not drawn and omits absent properties', () => {
    const fc = roadFeatures([road('construction'), road('residential')]);
    expect(fc.features).toHaveLength(1);
    expect(Object.keys(fc.features[0]?.properties ?? {})).toEqual(['class', 'highway']);
  });

  it('marks one-way roads, reversing oneway=-1 so the geometry runs the allowed way', () => {
    const [fwd, back, no, motorway, roundabout, motorwayTwoWay] = roadFeatures([
      road('residential', { oneway: 'yes' }),
      road('residential', { oneway: '-1' }),
      road('residential', { oneway: 'no' }),
      road('motorway'),
      road('tertiary', { junction: 'roundabout' }),
      road('motorway', { oneway: 'no' }),
    ]).features;
    expect(fwd?.properties.oneway).toBe(true);
    expect(back?.properties.oneway).toBe(true);
    expect(back?.geometry.coordinates[0]).toEqual([7.43, 43.74]);
    expect(no?.properties.oneway).toBeUndefined();
    expect(motorway?.properties.oneway).toBe(true);
    expect(roundabout?.properties.oneway).toBe(true);
    expect(motorwayTwoWay?.properties.oneway).toBeUndefined();
  });
});

describe('poiFeatures', () => {
  it('carries name, category, kind and the OSM id', () => {
    const p: OsmPoi = { osmId: 'n42', name: 'Café de Paris', kind: 'amenity', category: 'cafe', lat: 43.739, lng: 7.428, tags: {} };
    expect(poiFeatures([p]).features[0]).toEqual({
      type: 'Feature',
      properties: { name: 'Café de Paris', category: 'cafe', kind: 'amenity', id: 'n42' },
      geometry: { type: 'Point', coordinates: [7.428, 43.739] },
    });
  });
});
