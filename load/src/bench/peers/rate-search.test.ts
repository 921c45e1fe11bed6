import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateSearch } from './rate-search.js';

/** Run a search against a stack that keeps up with every rate up to `limit`. */
function run(s: RateSearch, keeps: (rate: number) => boolean): number[] {
  const probes: number[] = [];
  for (let r = s.next(); r !== undefined; r = s.next()) {
    probes.push(r);
    s.record(keeps(r));
  }
  return probes;
}

describe('RateSearch', () => {
  it('without refinement is the plain ramp: ×factor until the first step that fails', () => {
    const s = new RateSearch(1000, 2, 10, 0);
    expect(run(s, (r) => r <= 5000)).toEqual([1000, 2000, 4000, 8000]);
    expect(s.sustained).toBe(4000);
    expect(s.failed).toBe(8000);
  });

  it('refines the bracket by geometric bisection', () => {
    const s = new RateSearch(1000, 4, 10, 2);
    // 1000, 4000 keep up; 16000 fails; then √(4000·16000) = 8000 keeps up; √(8000·16000) fails.
    expect(run(s, (r) => r <= 10_000)).toEqual([1000, 4000, 16_000, 8000, Math.sqrt(8000 * 16_000)]);
    expect(s.sustained).toBe(8000);
  });

  it('a first step that fails sustains nothing and stops', () => {
    const s = new RateSearch(1000, 1.5, 10, 6);
    expect(run(s, () => false)).toEqual([1000]);
    expect(s.sustained).toBeUndefined();
  });

  it('stops after the ramp steps when every step keeps up', () => {
    const s = new RateSearch(1000, 2, 3, 6);
    expect(run(s, () => true)).toEqual([1000, 2000, 4000]);
    expect(s.sustained).toBe(4000);
    expect(s.failed).toBeUndefined();
    expect(new RateSearch(1000, 2, 0, 6).next()).toBeUndefined();
  });

  it('refuses meaningless settings and a record with no probe pending', () => {
    expect(() => new RateSearch(0, 2, 3, 0)).toThrow(RangeError);
    expect(() => new RateSearch(1000, 1, 3, 0)).toThrow(RangeError);
    expect(() => new RateSearch(1000, 2, 1.5, 0)).toThrow(RangeError);
    expect(() => new RateSearch(1000, 2, 3, -1)).toThrow(RangeError);
    const s = new RateSearch(1000, 2, 1, 0);
    s.record(true);
    expect(() => s.record(true)).toThrow();
  });

  it('on a monotone stack, lands within factor^(1/2^refine) below the limit, and always on a probe that kept up', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 1e6, noNaN: true }),
        fc.double({ min: 1.05, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        (from, factor, refine, limit) => {
          const s = new RateSearch(from, factor, 60, refine);
          const probes = run(s, (r) => r <= limit);
          expect(probes.length).toBeLessThanOrEqual(60 + refine);
          if (limit < from) {
            expect(s.sustained).toBeUndefined();
            return;
          }
          const found = s.sustained!;
          expect(found).toBeLessThanOrEqual(limit);
          expect(probes).toContain(found);
          // (Unless the ramp ran out of steps below the limit: then there is no bracket.)
          if (s.failed !== undefined) expect(found * factor ** (1 / 2 ** refine)).toBeGreaterThan(limit * (1 - 1e-9));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on a noisy stack, the bounds stay ordered and the result is a probe that kept up', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 8 }), (outcomes, refine) => {
        const s = new RateSearch(5000, 1.5, 40, refine);
        let i = 0;
        const kept: number[] = [];
        run(s, (r) => {
          const ok = outcomes[i++ % outcomes.length]!;
          if (ok) kept.push(r);
          return ok;
        });
        if (s.sustained !== undefined) expect(kept).toContain(s.sustained);
        if (s.sustained !== undefined && s.failed !== undefined) expect(s.sustained).toBeLessThan(s.failed);
      }),
      { numRuns: 300 },
    );
  });
});
