import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeServerFrame, encodeServerMessage } from './codec.js';
import { encodeLocAck } from './loc-ack-frame.js';

describe('encodeLocAck', () => {
  it('writes the bytes the codec writes for the same ack, at every integer width (property)', () => {
    const edges = [0, -0, 1, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    for (const seq of edges) {
      expect([...encodeLocAck(seq)]).toEqual([...(encodeServerMessage({ t: 'ok', of: 'loc', seq }, 'msgpack') as Uint8Array)]);
    }
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat()), (seq) => {
        const bytes = encodeLocAck(seq);
        expect([...bytes]).toEqual([...(encodeServerMessage({ t: 'ok', of: 'loc', seq }, 'msgpack') as Uint8Array)]);
        expect(decodeServerFrame(bytes)).toEqual({ t: 'ok', of: 'loc', seq });
      }),
      { numRuns: 2000 },
    );
  });
});
