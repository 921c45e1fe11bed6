import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLOT_COUNT, slotOf, slotRanges, tagForSlot } from './slots.js';

describe('slots', () => {
  it('matches Redis CLUSTER KEYSLOT on known keys, hash tags included', () => {
    // Values from Redis's own documentation and `CLUSTER KEYSLOT`.
    expect(slotOf('foo')).toBe(12182);
    expect(slotOf('{user1000}.following')).toBe(slotOf('{user1000}.followers'));
    expect(slotOf('loc:{u:alice}')).toBe(slotOf('u:alice'));
    expect(slotOf('a{}b')).toBe(slotOf('a{}b'));
  });

  it('tagForSlot finds a hash tag landing in any slot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SLOT_COUNT - 1 }), (slot) => {
        expect(slotOf(`__probe:x:{${tagForSlot(slot)}}`)).toBe(slot);
      }),
      { numRuns: 50 },
    );
    expect(() => tagForSlot(SLOT_COUNT)).toThrow(RangeError);
    expect(() => tagForSlot(-1)).toThrow(RangeError);
  });

  it('slotRanges writes sorted slots as compact ranges', () => {
    expect(slotRanges([0, 1, 2, 5, 7, 8])).toBe('0-2,5,7-8');
    expect(slotRanges([16383])).toBe('16383');
    expect(slotRanges([])).toBe('');
  });
});
