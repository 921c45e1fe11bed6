import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NavManeuver, NavPatch } from './navigation.js';
import { decodePolyline, encodePolyline } from './polyline.js';
import { applyRoutePatch } from './route-patch.js';

const step = (street: string): NavManeuver => ({ type: 'continue', street, instruction: `Continue onto ${street}`, distance: 10, duration: 1, lat: 0, lng: 0 });
const points = Array.from({ length: 8 }, (_, i) => [43.7 + i / 1000, 7.4 + i / 2000]).flat();
const base = {
  t: 'nav_route' as const, session: 's', reason: 'start' as const, rev: 2, graphVersion: 'g', distance: 1, duration: 1, eta: 1,
  route: { distance: 800, duration: 80, polyline: encodePolyline(points), maneuvers: [step('a'), step('b'), step('c')], summary: 'a' },
};
const patchOf = (p: Partial<NavPatch>): NavPatch => ({
  t: 'nav_patch', session: 's', reason: 'closure', base: 2, rev: 3, start: [43.7, 7.4], keep: [1, 3], detour: '', resume: 5,
  maneuvers: [0, 2], route: { distance: 700, duration: 70, summary: 'a' }, graphVersion: 'g', distance: 700, duration: 70, eta: 0, ...p,
});

describe('applyRoutePatch', () => {
  it('keeps the named points and steps, inserts the new ones', () => {
    const r = applyRoutePatch(base, patchOf({ detour: encodePolyline([43.71, 7.41]), maneuvers: [0, step('z'), 2] }))!;
    expect(r).toMatchObject({ t: 'nav_route', rev: 3, reason: 'closure', route: { distance: 700, summary: 'a' } });
    expect(r.route.polyline).toBe(encodePolyline([43.7, 7.4, ...points.slice(2, 8), 43.71, 7.41, ...points.slice(10)]));
    expect(r.route.maneuvers.map((m) => m.street)).toEqual(['a', 'z', 'c']);
    // An empty keep range (keep[1] < keep[0]) and a resume at the end are allowed.
    expect(decodePolyline(applyRoutePatch(base, patchOf({ keep: [1, 0], resume: 8 }))!.route.polyline)).toEqual([43.7, 7.4]);
  });

  it('refuses a patch of another revision or session, or with indices outside the route, and never throws (property)', () => {
    expect(applyRoutePatch(base, patchOf({ base: 1 }))).toBeNull();
    expect(applyRoutePatch(base, patchOf({ session: 'x' }))).toBeNull();
    expect(applyRoutePatch(base, patchOf({ resume: 9 }))).toBeNull();
    expect(applyRoutePatch(base, patchOf({ keep: [0, 8] }))).toBeNull();
    expect(applyRoutePatch(base, patchOf({ maneuvers: [3] }))).toBeNull();
    const index = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.double(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(index, index, index, fc.array(index, { maxLength: 5 }), fc.string(), (k0, k1, resume, man, detour) => {
        const r = applyRoutePatch(base, patchOf({ keep: [k0, k1], resume, maneuvers: man, detour }));
        const ok = [k0, k1 + 1, resume].every((i) => Number.isInteger(i) && i >= 0 && i <= 8) && man.every((m) => Number.isInteger(m) && m >= 0 && m < 3);
        if (!ok) expect(r).toBeNull();
        else expect(r?.route.maneuvers.length).toBe(man.length);
      }),
      { numRuns: 500 },
    );
  });
});
