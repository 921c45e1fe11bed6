import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_KMH, EdgeFlag, RoadClass } from '../graph/road-class.js';
import type { OsmTags } from './osm-item.js';
import { wayProfile, type WayProfile } from './way-profile.js';

function kept(tags: OsmTags): WayProfile {
  const p = wayProfile(tags);
  if (typeof p === 'string') throw new Error(`expected a car way, got ${p}`);
  return p;
}
const dirs = (tags: OsmTags): [boolean, boolean] => {
  const p = kept(tags);
  return [p.forward, p.backward];
};

describe('wayProfile: classes', () => {
  it('maps car highways (links join their road) to road classes', () => {
    expect(kept({ highway: 'motorway' }).roadClass).toBe(RoadClass.motorway);
    expect(kept({ highway: 'motorway_link' }).roadClass).toBe(RoadClass.motorway);
    expect(kept({ highway: 'trunk_link' }).roadClass).toBe(RoadClass.trunk);
    expect(kept({ highway: 'primary_link' }).roadClass).toBe(RoadClass.primary);
    expect(kept({ highway: 'secondary' }).roadClass).toBe(RoadClass.secondary);
    expect(kept({ highway: 'tertiary_link' }).roadClass).toBe(RoadClass.tertiary);
    expect(kept({ highway: 'unclassified' }).roadClass).toBe(RoadClass.unclassified);
    expect(kept({ highway: 'residential' }).roadClass).toBe(RoadClass.residential);
    expect(kept({ highway: 'living_street' }).roadClass).toBe(RoadClass.living_street);
    expect(kept({ highway: 'service' }).roadClass).toBe(RoadClass.service);
  });

  it('leaves out what cars do not drive on', () => {
    for (const h of ['footway', 'path', 'cycleway', 'steps', 'pedestrian', 'track', 'construction', 'proposed', 'escape', 'raceway', 'bus_stop']) {
      expect(wayProfile({ highway: h })).toBe('notForCars');
    }
    expect(wayProfile({ building: 'yes' })).toBe('notRoad');
    expect(wayProfile(undefined)).toBe('notRoad');
    expect(wayProfile({ highway: 'pedestrian', area: 'yes' })).toBe('area');
  });

  it('keeps a track only when cars are explicitly allowed on it', () => {
    expect(kept({ highway: 'track', motorcar: 'yes' }).roadClass).toBe(RoadClass.service);
    expect(kept({ highway: 'track', motor_vehicle: 'yes' }).roadClass).toBe(RoadClass.service);
    expect(wayProfile({ highway: 'track', access: 'yes' })).toBe('notForCars');
  });

  it('keeps parking aisles and driveways at a crawl, drops emergency access', () => {
    expect(kept({ highway: 'service', service: 'parking_aisle' }).speedForward).toBe(10);
    expect(kept({ highway: 'service', service: 'driveway' }).speedForward).toBe(10);
    expect(kept({ highway: 'service', service: 'alley' }).speedForward).toBe(DEFAULT_SPEED_KMH.service);
    expect(wayProfile({ highway: 'service', service: 'emergency_access' })).toBe('noAccess');
  });
});

describe('wayProfile: access', () => {
  it('drops ways closed to cars', () => {
    expect(wayProfile({ highway: 'residential', access: 'private' })).toBe('noAccess');
    expect(wayProfile({ highway: 'residential', access: 'no' })).toBe('noAccess');
    expect(wayProfile({ highway: 'service', motor_vehicle: 'no' })).toBe('noAccess');
    expect(wayProfile({ highway: 'service', motorcar: 'private' })).toBe('noAccess');
    expect(wayProfile({ highway: 'service', vehicle: 'no' })).toBe('noAccess');
    expect(wayProfile({ highway: 'residential', access: 'yes', motor_vehicle: 'no' })).toBe('noAccess');
  });

  it('lets a car tag override a general prohibition', () => {
    expect(kept({ highway: 'residential', access: 'private', motorcar: 'yes' }).roadClass).toBe(RoadClass.residential);
    expect(kept({ highway: 'service', access: 'no', motor_vehicle: 'yes' }).roadClass).toBe(RoadClass.service);
    expect(wayProfile({ highway: 'service', access: 'no', motor_vehicle: 'yes', motorcar: 'no' })).toBe('noAccess');
  });

  it('keeps destination-only and unknown access values', () => {
    expect(kept({ highway: 'residential', access: 'destination' }).roadClass).toBe(RoadClass.residential);
    expect(kept({ highway: 'residential', motor_vehicle: 'permissive' }).roadClass).toBe(RoadClass.residential);
    expect(kept({ highway: 'residential', access: 'unknown' }).roadClass).toBe(RoadClass.residential);
    // An unknown value on the specific tag defers to the general one.
    expect(wayProfile({ highway: 'residential', access: 'no', motorcar: 'maybe' })).toBe('noAccess');
  });
});

describe('wayProfile: oneway', () => {
  it('reads explicit values', () => {
    for (const v of ['yes', 'true', '1']) expect(dirs({ highway: 'residential', oneway: v })).toEqual([true, false]);
    for (const v of ['-1', 'reverse']) expect(dirs({ highway: 'residential', oneway: v })).toEqual([false, true]);
    for (const v of ['no', 'false', '0']) expect(dirs({ highway: 'residential', oneway: v })).toEqual([true, true]);
    expect(dirs({ highway: 'residential' })).toEqual([true, true]);
    expect(dirs({ highway: 'residential', oneway: 'unknown' })).toEqual([true, true]);
  });

  it('implies oneway on motorways, their links and roundabouts, unless oneway=no', () => {
    expect(dirs({ highway: 'motorway' })).toEqual([true, false]);
    expect(dirs({ highway: 'motorway_link' })).toEqual([true, false]);
    expect(dirs({ highway: 'primary', junction: 'roundabout' })).toEqual([true, false]);
    expect(dirs({ highway: 'primary', junction: 'circular' })).toEqual([true, false]);
    expect(dirs({ highway: 'primary', junction: 'roundabout', oneway: 'no' })).toEqual([true, true]);
    expect(dirs({ highway: 'motorway', oneway: 'no' })).toEqual([true, true]);
    expect(dirs({ highway: 'trunk' })).toEqual([true, true]);
  });

  it('drops time-dependent oneways', () => {
    expect(wayProfile({ highway: 'primary', oneway: 'reversible' })).toBe('reversible');
    expect(wayProfile({ highway: 'primary', oneway: 'alternating' })).toBe('reversible');
  });
});

describe('wayProfile: speeds, flags, names', () => {
  it('uses maxspeed, per direction when given, else the class default', () => {
    expect(kept({ highway: 'primary' }).speedForward).toBe(DEFAULT_SPEED_KMH.primary);
    expect(kept({ highway: 'primary', maxspeed: 'nonsense' }).speedBackward).toBe(DEFAULT_SPEED_KMH.primary);
    expect(kept({ highway: 'primary', maxspeed: '50' }).speedBackward).toBe(50);
    const p = kept({ highway: 'primary', maxspeed: '50', 'maxspeed:forward': '30 mph', 'maxspeed:backward': '70' });
    expect(p.speedForward).toBeCloseTo(48.28, 2);
    expect(p.speedBackward).toBe(70);
    expect(kept({ highway: 'motorway', maxspeed: 'none' }).speedForward).toBe(130);
    expect(kept({ highway: 'living_street', maxspeed: 'walk' }).speedForward).toBe(7);
  });

  it('flags tolls, motorway/trunk and roundabouts', () => {
    expect(kept({ highway: 'motorway', toll: 'yes' }).flags).toBe(EdgeFlag.toll | EdgeFlag.highway);
    expect(kept({ highway: 'motorway', toll: 'no' }).flags).toBe(EdgeFlag.highway);
    expect(kept({ highway: 'trunk_link' }).flags).toBe(EdgeFlag.highway);
    expect(kept({ highway: 'primary', toll: 'yes' }).flags).toBe(EdgeFlag.toll);
    expect(kept({ highway: 'primary', toll: 'yes', 'toll:motorcar': 'no' }).flags).toBe(0);
    expect(kept({ highway: 'tertiary', junction: 'roundabout' }).flags).toBe(EdgeFlag.roundabout);
  });

  it('names a road by name, else ref', () => {
    expect(kept({ highway: 'motorway', ref: 'A 8' }).name).toBe('A 8');
    expect(kept({ highway: 'primary', ref: 'D 6007', name: 'Boulevard Charles III' }).name).toBe('Boulevard Charles III');
    expect(kept({ highway: 'service' }).name).toBe('');
  });
});

describe('wayProfile: ferries', () => {
  it('keeps car ferries (with their crossing time) and drops passenger ferries', () => {
    const car = kept({ route: 'ferry', motorcar: 'yes', duration: '00:45' });
    expect(car.roadClass).toBe(RoadClass.ferry);
    expect(car.ferryHours).toBeCloseTo(0.75);
    expect(kept({ route: 'ferry', motor_vehicle: 'yes' }).speedForward).toBe(DEFAULT_SPEED_KMH.ferry);
    expect(wayProfile({ route: 'ferry', name: 'Bateau Bus' })).toBe('passengerFerry');
    expect(wayProfile({ route: 'ferry', access: 'yes' })).toBe('passengerFerry');
    expect(wayProfile({ route: 'ferry', motorcar: 'no', foot: 'yes' })).toBe('passengerFerry');
  });
});
