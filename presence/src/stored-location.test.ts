import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeControlEvent, encodeControlEvent } from './control-event.js';
import { decodeStoredLocation, encodeStoredLocation, STORED_LOCATION_BYTES } from './stored-location.js';

describe('stored location bytes', () => {
  it('round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          lat: fc.double({ min: -90, max: 90, noNaN: true }),
          lng: fc.double({ min: -180, max: 180, noNaN: true }),
          acc: fc.double({ min: -1, max: 1e5, noNaN: true }),
          ts: fc.double({ min: 0, max: 4e12, noNaN: true }),
          at: fc.double({ min: 0, max: 4e12, noNaN: true }),
        }),
        (loc) => {
          expect(decodeStoredLocation(encodeStoredLocation(loc))).toEqual(loc);
        },
      ),
    );
  });

  it('rejects anything that is not 40 bytes or holds out-of-range coordinates (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const loc = decodeStoredLocation(bytes);
        if (bytes.length !== STORED_LOCATION_BYTES) expect(loc).toBeNull();
        else if (loc) {
          expect(Math.abs(loc.lat)).toBeLessThanOrEqual(90);
          expect(Math.abs(loc.lng)).toBeLessThanOrEqual(180);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes at any byte offset (views into a larger network buffer)', () => {
    const loc = { lat: 1.5, lng: -2.5, acc: 3, ts: 4, at: 5 };
    const big = new Uint8Array(100);
    big.set(encodeStoredLocation(loc), 13);
    expect(decodeStoredLocation(big.subarray(13, 13 + STORED_LOCATION_BYTES))).toEqual(loc);
  });
});

describe('control events', () => {
  it('round-trip and never throw on garbage (property)', () => {
    expect(decodeControlEvent(encodeControlEvent({ kind: 'accepted', user: 'bob' }))).toEqual({ kind: 'accepted', user: 'bob' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const e = decodeControlEvent(bytes);
        if (e) expect(['requested', 'accepted', 'declined', 'removed', 'settings']).toContain(e.kind);
      }),
      { numRuns: 2000 },
    );
  });
});
