import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryWheel, type WheelItem } from './expiry-wheel.js';

interface Item extends WheelItem {
  name: string;
}
const item = (name: string, expiresAt: number): Item => ({ name, expiresAt, wheelSlot: -1 });

describe('ExpiryWheel', () => {
  it('expires items whose deadline passed, once', () => {
    const w = new ExpiryWheel<Item>();
    const a = item('a', 1_500);
    const b = item('b', 3_200);
    w.schedule(a);
    w.schedule(b);
    const out: string[] = [];
    w.advance(1_400, (i) => out.push(i.name));
    expect(out).toEqual([]);
    w.advance(2_000, (i) => out.push(i.name));
    expect(out).toEqual(['a']);
    w.advance(2_500, (i) => out.push(i.name));
    w.advance(4_000, (i) => out.push(i.name));
    expect(out).toEqual(['a', 'b']);
    expect(w.size).toBe(0);
  });

  it('a refreshed deadline postpones expiry without re-filing on every refresh', () => {
    const w = new ExpiryWheel<Item>();
    const a = item('a', 1_500);
    w.schedule(a);
    for (let t = 1_600; t <= 9_600; t += 1_000) {
      a.expiresAt = t + 500;
      w.schedule(a);
      expect(w.size).toBe(1);
    }
    const out: string[] = [];
    w.advance(9_000, (i) => out.push(i.name));
    expect(out).toEqual([]);
    w.advance(10_200, (i) => out.push(i.name));
    expect(out).toEqual(['a']);
  });

  it('cancel forgets an item', () => {
    const w = new ExpiryWheel<Item>();
    const a = item('a', 1_000);
    w.schedule(a);
    w.cancel(a);
    const out: string[] = [];
    w.advance(5_000, (i) => out.push(i.name));
    expect(out).toEqual([]);
    expect(a.wheelSlot).toBe(-1);
  });

  it('never expires early and never more than a second late (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ deadline: fc.integer({ min: 1, max: 60_000 }), refresh: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 40 }),
        (specs) => {
          const w = new ExpiryWheel<Item>();
          const items = specs.map((s, i) => item(String(i), s.deadline));
          items.forEach((i) => w.schedule(i));
          const expiredAt = new Map<string, number>();
          for (let now = 0; now <= 100_000; now += 250) {
            // Halfway, some deadlines move later (a new update arrived).
            if (now === 500) specs.forEach((s, i) => {
              const it = items[i]!;
              if (s.refresh > 0 && !expiredAt.has(it.name)) {
                it.expiresAt += s.refresh;
                w.schedule(it);
              }
            });
            w.advance(now, (i) => {
              expect(expiredAt.has(i.name)).toBe(false);
              expiredAt.set(i.name, now);
            });
          }
          for (const it of items) {
            const at = expiredAt.get(it.name);
            expect(at).toBeDefined();
            expect(at!).toBeGreaterThanOrEqual(it.expiresAt);
            expect(at! - it.expiresAt).toBeLessThanOrEqual(1_250);
          }
        },
      ),
    );
  });
});
