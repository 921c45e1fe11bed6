import fc from 'fast-check';
import { unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { FriendLocFrame } from './friend-loc-frame.js';

describe('FriendLocFrame', () => {
  it('produces plain msgpack that any decoder reads, distance patched per recipient', () => {
    const f = new FriendLocFrame();
    f.encode('alice', 43.7384, 7.4246, 12.5, 1_700_000_000_123);
    expect(unpack(Buffer.from(f.withDistance(1234.5)))).toEqual({
      t: 'friend_loc', user: 'alice', lat: 43.7384, lng: 7.4246, acc: 12.5, ts: 1_700_000_000_123, d: 1234.5,
    });
    expect(unpack(Buffer.from(f.withDistance(7)))).toMatchObject({ d: 7 });
  });

  it('omits acc when negative and handles long ids (property)', () => {
    const f = new FriendLocFrame();
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.@:-]{1,128}$/),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -1, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 20_000_000, noNaN: true }),
        (user, lat, lng, acc, d) => {
          f.encode(user, lat, lng, acc, 1_700_000_000_000);
          const m = unpack(Buffer.from(f.withDistance(d)));
          const expected: Record<string, unknown> = { t: 'friend_loc', user, lat, lng, ts: 1_700_000_000_000, d };
          if (acc >= 0) expected.acc = acc;
          expect(m).toEqual(expected);
        },
      ),
    );
  });
});
