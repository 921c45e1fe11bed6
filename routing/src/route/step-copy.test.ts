import type { NavManeuver } from '@locus/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepWithLength } from './step-copy.js';

const made: NavManeuver[] = [
  { type: 'depart', street: 'Boulevard Albert 1er', instruction: 'Head east on Boulevard Albert 1er', distance: 12.5, duration: 1.5, lat: 43.73, lng: 7.42 },
  { type: 'turn', modifier: 'left', street: '', instruction: 'Turn left', distance: 82.2, duration: 14.8, lat: 43.7308, lng: 7.3898 },
  { type: 'roundabout', street: 'Avenue Princesse Grace', instruction: 'At the roundabout, take the 2nd exit onto Avenue Princesse Grace', distance: 40, duration: 6, lat: 43.74, lng: 7.43, exit: 2 },
  { type: 'arrive', street: '', instruction: 'Arrive at your destination', distance: 0, duration: 0, lat: 43.75, lng: 7.44 },
];

describe('stepWithLength', () => {
  it('is the step with the new metres and seconds, the same keys in the same order, and leaves the step as it was', () => {
    fc.assert(
      fc.property(fc.constantFrom(...made), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), (step, distance, duration) => {
        const before = JSON.stringify(step);
        const copy = stepWithLength(step, distance, duration);
        expect(copy).not.toBe(step);
        expect(copy).toEqual({ ...step, distance, duration });
        expect(Object.keys(copy)).toEqual(Object.keys(step));
        expect(JSON.stringify(step)).toBe(before);
      }),
    );
  });

  it('makes the keys of buildManeuvers’ order whatever order the step came in (a stored route decoded)', () => {
    const decoded = { lng: 7.39, lat: 43.73, duration: 9, distance: 69.5, instruction: 'Continue straight', street: '', modifier: 'straight', type: 'continue' } as NavManeuver;
    expect(Object.keys(stepWithLength(decoded, 70, 9))).toEqual(['type', 'modifier', 'street', 'instruction', 'distance', 'duration', 'lat', 'lng']);
  });
});
