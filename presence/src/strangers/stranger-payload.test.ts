import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrangerMessage, encodeStrangerMessage, StrangerKind } from './stranger-payload.js';

const userId = fc.stringMatching(/^[A-Za-z0-9_.@:-]{1,128}$/);
const kind = fc.constantFrom(StrangerKind.Location, StrangerKind.Gone, StrangerKind.Left);

describe('stranger payload', () => {
  it('round-trips (property)', () => {
    fc.assert(
      fc.property(
        kind,
        userId,
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0, max: 4e12, noNaN: true }),
        fc.double({ min: 0, max: 4e12, noNaN: true }),
        (k, u, lat, lng, ts, at) => {
          expect(decodeStrangerMessage(encodeStrangerMessage(k, u, lat, lng, ts, at))).toEqual({ kind: k, user: u, lat, lng, ts, at });
        },
      ),
    );
  });

  it('decodes from a view into a larger buffer (as a Redis subscriber hands it over)', () => {
    const msg = encodeStrangerMessage(StrangerKind.Location, 'alice', 48.85, 2.35, 1, 2);
    const big = new Uint8Array(msg.length + 16);
    big.set(msg, 7);
    expect(decodeStrangerMessage(big.subarray(7, 7 + msg.length))?.user).toBe('alice');
  });

  it('never throws on garbage and rejects it (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const m = decodeStrangerMessage(bytes);
        if (m !== null) expect(m.user).toMatch(/^[A-Za-z0-9_.@:-]{1,128}$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects unknown kinds, bad ids, wrong lengths and out-of-range coordinates', () => {
    const good = encodeStrangerMessage(StrangerKind.Location, 'bob', 10, 20, 1, 2);
    const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
      const b = good.slice();
      f(b);
      return b;
    };
    expect(decodeStrangerMessage(good)).not.toBeNull();
    expect(decodeStrangerMessage(mutate((b) => (b[0] = 9)))).toBeNull();
    expect(decodeStrangerMessage(mutate((b) => (b[34] = 0x7b)))).toBeNull(); // '{' is not a user id character
    expect(decodeStrangerMessage(mutate((b) => (b[33] = 4)))).toBeNull();
    expect(decodeStrangerMessage(good.subarray(0, good.length - 1))).toBeNull();
    expect(decodeStrangerMessage(encodeStrangerMessage(StrangerKind.Location, 'bob', 91, 20, 1, 2))).toBeNull();
    expect(decodeStrangerMessage(encodeStrangerMessage(StrangerKind.Left, 'bob', 10, Number.NaN, 1, 2))).toBeNull();
    expect(decodeStrangerMessage(encodeStrangerMessage(StrangerKind.Location, 'bob', 10, 20, Number.POSITIVE_INFINITY, 2))).toBeNull();
    expect(decodeStrangerMessage(new Uint8Array(0))).toBeNull();
  });
});
