import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveSpeedTable } from './live-speeds.js';

describe('LiveSpeedTable.expiredSince', () => {
  it('is true exactly when a value applied so far expires in (since, now], for clocks that only go forward (property)', () => {
    const step = fc.record({ edge: fc.nat(20), ttl: fc.integer({ min: 1, max: 1000 }), advance: fc.nat(300), since: fc.nat(2000) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const live = new LiveSpeedTable(21);
        const applied: number[] = [];
        let now = 1_000;
        for (const s of steps) {
          const until = now + s.ttl;
          live.apply(Uint32Array.of(s.edge), Float32Array.of(0), Float64Array.of(until), now);
          applied.push(until);
          now += s.advance;
          const since = now - s.since;
          const truth = applied.some((u) => u > since && u <= now);
          expect(live.expiredSince(since, now)).toBe(truth);
        }
      }),
    );
  });

  it('says nothing expired while every value is still in force', () => {
    const live = new LiveSpeedTable(4);
    live.apply(Uint32Array.of(1, 2), Float32Array.of(0, 10), Float64Array.of(5_000, 9_000), 1_000);
    expect(live.expiredSince(1_000, 4_999)).toBe(false);
    expect(live.expiredSince(1_000, 5_000)).toBe(true);
    // A car whose times were made after the first value expired only cares about the second.
    expect(live.expiredSince(6_000, 8_000)).toBe(false);
    expect(live.expiredSince(6_000, 9_500)).toBe(true);
  });

  it('holds only the expiry times still ahead, asked or not (a feed with no navigating car does not grow it)', () => {
    const live = new LiveSpeedTable(100);
    let now = 1_000;
    for (let i = 0; i < 10_000; i++) {
      live.apply(Uint32Array.of(i % 100), Float32Array.of(20), Float64Array.of(now + 50), now);
      now += 10;
    }
    // Values live 50 ms and come every 10 ms: about five are in force at any time.
    expect(live.heldExpiries).toBeLessThanOrEqual(6);
    expect(live.expiredSince(now - 100, now)).toBe(true);
  });

  it('counts a batch in closureVersion only when it changes which edges are closed, in liftVersion when it lifts one (property)', () => {
    // Each step: an edge, a speed (0 = closed), an expiry, the time it is applied.
    const step = fc.record({ edge: fc.nat(3), speed: fc.constantFrom(0, 0, 30, 50), ttl: fc.integer({ min: 1, max: 50 }), dt: fc.nat(30) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const live = new LiveSpeedTable(4);
        let now = 0;
        /** The closures in force, as the model: edge → expiry. */
        const closed = new Map<number, number>();
        for (const { edge, speed, ttl, dt } of steps) {
          now += dt;
          for (const [e, until] of closed) if (until <= now) closed.delete(e);
          const before = new Map(closed);
          if (speed === 0) closed.set(edge, now + ttl);
          else closed.delete(edge);
          const changed = before.size !== closed.size || [...closed].some(([e, until]) => before.get(e) !== until);
          const lifted = before.has(edge) && !closed.has(edge);
          const v = live.closureVersion;
          const l = live.liftVersion;
          live.apply(Uint32Array.of(edge), Float32Array.of(speed), Float64Array.of(now + ttl), now);
          expect(live.closureVersion).toBe(changed ? v + 1 : v);
          expect(live.liftVersion).toBe(lifted ? l + 1 : l);
        }
      }),
    );
  });
});
