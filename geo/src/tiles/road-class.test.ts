import { describe, expect, it } from 'vitest';
import { isRoadClass, ROAD_CLASSES, ROAD_CLASS_MIN_ZOOM, roadClassOf } from './road-class.js';

describe('roadClassOf', () => {
  it.each([
    ['motorway', 'motorway'],
    ['motorway_link', 'motorway'],
    ['trunk_link', 'trunk'],
    ['primary', 'primary'],
    ['secondary_link', 'secondary'],
    ['tertiary', 'tertiary'],
    ['residential', 'minor'],
    ['unclassified', 'minor'],
    ['living_street', 'minor'],
    ['service', 'minor'],
    ['footway', 'path'],
    ['cycleway', 'path'],
    ['path', 'path'],
    ['steps', 'path'],
    ['pedestrian', 'path'],
    ['track', 'path'],
  ])('%s → %s', (highway, cls) => {
    expect(roadClassOf(highway)).toBe(cls);
  });

  it.each(['construction', 'proposed', 'raceway', 'escape', 'rest_area', 'services', 'platform', '', 'Motorway'])('%s is not drawn', (highway) => {
    expect(roadClassOf(highway)).toBeNull();
  });

  it('gives every class a minimum zoom, bigger roads never later than smaller ones', () => {
    const zooms = ROAD_CLASSES.map((c) => ROAD_CLASS_MIN_ZOOM[c]);
    expect(zooms).toEqual([...zooms].sort((a, b) => a - b));
    expect(ROAD_CLASS_MIN_ZOOM.motorway).toBe(10);
    expect(ROAD_CLASS_MIN_ZOOM.path).toBe(14);
  });

  it('isRoadClass narrows unknown values', () => {
    expect(isRoadClass('minor')).toBe(true);
    expect(isRoadClass('residential')).toBe(false);
    expect(isRoadClass('toString')).toBe(false);
    expect(isRoadClass(3)).toBe(false);
    expect(isRoadClass(undefined)).toBe(false);
  });
});
