import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { TallyHistogram } from './tally-histogram.js';

const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

describe('TallyHistogram', () => {
  it('scrapes exactly as prom-client\'s Histogram does for the same observations (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.double({ min: -1, max: 10, noNaN: true }), fc.constantFrom(...BUCKETS)), { maxLength: 60 }), async (values) => {
        const mine = new Registry();
        const theirs = new Registry();
        const h = new TallyHistogram('x_seconds', 'help text', BUCKETS, mine);
        const p = new Histogram({ name: 'x_seconds', help: 'help text', buckets: BUCKETS, registers: [theirs] });
        for (const v of values) {
          h.observe(v);
          p.observe(v);
        }
        expect(await mine.metrics()).toBe(await theirs.metrics());
      }),
      { numRuns: 200 },
    );
  });

  it('ignores values that are not finite, and resets', async () => {
    const r = new Registry();
    const h = new TallyHistogram('y_seconds', 'h', [1], r);
    h.observe(Number.NaN);
    h.observe(Infinity);
    h.observe(0.5);
    expect(await r.metrics()).toContain('y_seconds_count 1');
    r.resetMetrics();
    expect(await r.metrics()).toContain('y_seconds_count 0');
  });
});
