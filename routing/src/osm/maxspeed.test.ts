import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoadClass } from '../graph/road-class.js';
import { NO_LIMIT_KMH, WALK_KMH, parseMaxspeed } from './maxspeed.js';

const R = RoadClass.residential;

describe('parseMaxspeed', () => {
  it('reads plain numbers and km/h spellings', () => {
    expect(parseMaxspeed('50', R)).toBe(50);
    expect(parseMaxspeed('50 km/h', R)).toBe(50);
    expect(parseMaxspeed('50km/h', R)).toBe(50);
    expect(parseMaxspeed('50 kmh', R)).toBe(50);
    expect(parseMaxspeed('50 kph', R)).toBe(50);
    expect(parseMaxspeed(' 30 ', R)).toBe(30);
  });

  it('converts mph and knots to km/h', () => {
    expect(parseMaxspeed('30 mph', R)).toBeCloseTo(48.28, 2);
    expect(parseMaxspeed('70mph', RoadClass.motorway)).toBeCloseTo(112.65, 2);
    expect(parseMaxspeed('10 knots', RoadClass.ferry)).toBeCloseTo(18.52, 2);
  });

  it('reads country zone codes, with a generic fallback for unlisted countries', () => {
    expect(parseMaxspeed('FR:urban', R)).toBe(50);
    expect(parseMaxspeed('FR:rural', RoadClass.secondary)).toBe(80);
    expect(parseMaxspeed('FR:motorway', RoadClass.motorway)).toBe(130);
    expect(parseMaxspeed('IT:urban', R)).toBe(50);
    expect(parseMaxspeed('IT:rural', R)).toBe(90);
    expect(parseMaxspeed('fr:urban', R)).toBe(50);
    expect(parseMaxspeed('DE:zone30', R)).toBe(30);
    expect(parseMaxspeed('FR:zone:30', R)).toBe(30);
    expect(parseMaxspeed('PL:urban', R)).toBe(50);
    expect(parseMaxspeed('DE:living_street', R)).toBe(WALK_KMH);
    expect(parseMaxspeed('XX:constructor', R)).toBeUndefined();
  });

  it('reads walk, and none only on motorways', () => {
    expect(parseMaxspeed('walk', RoadClass.living_street)).toBe(WALK_KMH);
    expect(parseMaxspeed('none', RoadClass.motorway)).toBe(NO_LIMIT_KMH);
    expect(parseMaxspeed('none', RoadClass.secondary)).toBeUndefined();
  });

  it('says nothing for values without a usable number (the class default applies)', () => {
    for (const v of [undefined, '', 'signals', 'variable', 'fast', '0', '-20', '999', '50 furlongs', 'NaN']) {
      expect(parseMaxspeed(v, R)).toBeUndefined();
    }
  });

  it('takes the lowest value of a list', () => {
    expect(parseMaxspeed('50;30', R)).toBe(30);
    expect(parseMaxspeed('signals;70', R)).toBe(70);
  });

  it('never answers NaN, 0 or a negative speed (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const v = parseMaxspeed(s, R);
        return v === undefined || (Number.isFinite(v) && v > 0 && v <= 200);
      }),
    );
  });
});
