import { describe, expect, it } from 'vitest';
import { parseDurationHours } from './duration.js';

describe('parseDurationHours', () => {
  it('reads minutes, hh:mm, hh:mm:ss and ISO 8601', () => {
    expect(parseDurationHours('45')).toBeCloseTo(0.75);
    expect(parseDurationHours('01:30')).toBeCloseTo(1.5);
    expect(parseDurationHours('0:20:30')).toBeCloseTo(20.5 / 60);
    expect(parseDurationHours('PT1H30M')).toBeCloseTo(1.5);
    expect(parseDurationHours('PT45M')).toBeCloseTo(0.75);
    expect(parseDurationHours('P1D')).toBe(24);
  });

  it('rejects what is not a positive duration', () => {
    for (const v of [undefined, '', 'two hours', '0', '00:00', 'P', 'PT', '1:2:3:4']) expect(parseDurationHours(v)).toBeUndefined();
  });
});
