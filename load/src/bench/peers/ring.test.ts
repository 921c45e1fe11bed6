import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ringFriends, ringPairs } from './ring.js';

it('every user has F distinct friends, symmetric, and the pairs list each friendship once', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 60 }), fc.integer({ min: 1, max: 4 }), (users, half) => {
      const friends = 2 * half;
      fc.pre(users > friends);
      const sets = Array.from({ length: users }, (_, i) => new Set(ringFriends(i, users, friends)));
      for (let i = 0; i < users; i++) {
        expect(sets[i]!.size).toBe(friends);
        expect(sets[i]!.has(i)).toBe(false);
        for (const f of sets[i]!) expect(sets[f]!.has(i)).toBe(true);
      }
      const pairs = ringPairs(users, friends);
      expect(pairs).toHaveLength((users * friends) / 2);
      expect(new Set(pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)].join())).size).toBe(pairs.length);
    }),
  );
});
