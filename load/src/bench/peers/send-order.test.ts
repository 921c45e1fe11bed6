import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendOrder } from './send-order.js';

describe('sendOrder', () => {
  it('ring is every user in turn; shuffled is a permutation, the same for the same seed', () => {
    fc.assert(
      fc.property(fc.nat({ max: 3000 }), fc.nat(), (n, seed) => {
        expect(Array.from(sendOrder(n, 'ring', seed))).toEqual(Array.from({ length: n }, (_, i) => i));
        const shuffled = sendOrder(n, 'shuffled', seed);
        expect(Array.from(shuffled).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(sendOrder(n, 'shuffled', seed)).toEqual(shuffled);
      }),
      { numRuns: 50 },
    );
  });

  it('moves friends apart: few ring neighbours send one after another', () => {
    const order = sendOrder(1000, 'shuffled', 7);
    let adjacent = 0;
    for (let i = 1; i < order.length; i++) if (Math.abs(order[i]! - order[i - 1]!) <= 5) adjacent++;
    expect(adjacent).toBeLessThan(50);
  });
});
