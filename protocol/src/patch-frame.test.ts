import fc from 'fast-check';
import { Packr, Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeServerFrame, encodeServerMessage, encodeServerMessageTransient } from './codec.js';
import type { NavManeuver, NavPatch } from './navigation.js';

const plain = new Packr({ useRecords: false, variableMapSize: true });
const plainDecode = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

const stepArb: fc.Arbitrary<NavManeuver> = fc.record(
  {
    type: fc.constantFrom('depart', 'turn', 'continue', 'roundabout', 'arrive'),
    modifier: fc.constantFrom('left', 'right', 'slight left'),
    street: fc.string(),
    instruction: fc.string(),
    distance: fc.double({ noNaN: true }),
    duration: fc.double({ noNaN: true, min: 0 }),
    lat: fc.double({ noNaN: true, min: -90, max: 90 }),
    lng: fc.double({ noNaN: true, min: -180, max: 180 }),
    exit: fc.nat(12),
  },
  { requiredKeys: ['type', 'street', 'instruction', 'distance', 'duration', 'lat', 'lng'] },
) as fc.Arbitrary<NavManeuver>;

const patchArb: fc.Arbitrary<NavPatch> = fc.record({
  t: fc.constant('nav_patch' as const),
  session: fc.string(),
  reason: fc.constantFrom('closure' as const, 'faster' as const),
  base: fc.nat(),
  rev: fc.nat(),
  start: fc.tuple(fc.double({ noNaN: true }), fc.double({ noNaN: true })),
  keep: fc.tuple(fc.nat(), fc.nat()),
  detour: fc.string({ maxLength: 400 }),
  resume: fc.nat(),
  // Indices of every msgpack width, and step objects.
  maneuvers: fc.array(fc.oneof(fc.nat(0x7f), fc.nat(0xffff), fc.nat(), stepArb), { maxLength: 70 }),
  route: fc.record({ distance: fc.double({ noNaN: true }), duration: fc.double({ noNaN: true }), summary: fc.string() }),
  graphVersion: fc.string(),
  distance: fc.nat(),
  duration: fc.nat(),
  eta: fc.nat(),
});

describe('nav_patch frames (steps packed once per step object)', () => {
  it('decode to what packing the whole message gives, with any plain msgpack decoder (property)', () => {
    fc.assert(
      fc.property(patchArb, (p) => {
        const frame = encodeServerMessage(p, 'msgpack') as Uint8Array;
        const whole = plainDecode.unpack(plain.pack(p));
        expect(plainDecode.unpack(frame)).toEqual(whole);
        expect(decodeServerFrame(frame)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('a step shared by many patches is packed once and stays right for each', () => {
    const shared: NavManeuver = { type: 'turn', modifier: 'left', street: 'Rue Grimaldi', instruction: 'Turn left onto Rue Grimaldi', distance: 120.5, duration: 14.2, lat: 43.73, lng: 7.42 };
    const frames = [0, 1, 2].map((i) => {
      const p: NavPatch = {
        t: 'nav_patch', session: `s${i}`, reason: 'closure', base: i, rev: i + 1, start: [43.7, 7.4], keep: [1, 3], detour: 'abc', resume: 9,
        maneuvers: [i, shared, 300 + i, { ...shared, distance: i }], route: { distance: 1, duration: 2, summary: 'x' }, graphVersion: 'g', distance: 1, duration: 2, eta: 3,
      };
      return { p, frame: encodeServerMessage(p, 'msgpack') as Uint8Array };
    });
    for (const { p, frame } of frames) expect(decodeServerFrame(frame)).toEqual(p);
  });

  it('transient frames have the same bytes, in a buffer the next encode reuses (property)', () => {
    fc.assert(
      fc.property(patchArb, patchArb, (p, q) => {
        const own = encodeServerMessage(p, 'msgpack') as Uint8Array;
        const frame = encodeServerMessageTransient(p, 'msgpack') as Uint8Array;
        expect(Buffer.from(frame).equals(Buffer.from(own))).toBe(true);
        const copy = frame.slice();
        // The next transient encode (any message) may overwrite it: a socket write copies it first.
        const next = encodeServerMessageTransient(q, 'msgpack') as Uint8Array;
        expect(decodeServerFrame(next)).toEqual(plainDecode.unpack(plain.pack(q)));
        expect(decodeServerFrame(copy)).toEqual(plainDecode.unpack(plain.pack(p)));
        // The frame of its own stays right whatever is encoded after it.
        expect(Buffer.from(own).equals(Buffer.from(copy))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('other messages encode transiently to the same bytes too', () => {
    const msg = { t: 'nav_eta' as const, session: 's', reason: 'traffic' as const, distance: 1200, duration: 95, eta: 1_700_000_000_000 };
    const own = encodeServerMessage(msg, 'msgpack') as Uint8Array;
    expect(Buffer.from(encodeServerMessageTransient(msg, 'msgpack') as Uint8Array).equals(Buffer.from(own))).toBe(true);
    expect(encodeServerMessageTransient(msg, 'json')).toBe(JSON.stringify(msg));
  });
});
