import { describe, expect, it } from 'vitest';
import { avoidMultipliers } from './avoid.js';

describe('avoidMultipliers', () => {
  it('shares one table per option set (a costing is made per request)', () => {
    const a = avoidMultipliers({ tolls: true });
    expect(avoidMultipliers({ tolls: true })).toBe(a);
    expect(avoidMultipliers({})).toBe(avoidMultipliers());
    expect(avoidMultipliers({})).not.toBe(a);
    expect(avoidMultipliers({}).every((m) => m === 1)).toBe(true);
    expect(a.some((m) => m !== 1)).toBe(true);
    expect(avoidMultipliers({ tolls: 0.5 })).not.toBe(a);
    expect(avoidMultipliers({ tolls: 0.5 })).toBe(avoidMultipliers({ tolls: 0.5 }));
  });
});
