import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeClientFrame } from './codec.js';
import { decodeLocFrame } from './loc-frame-decoder.js';

/** Plain msgpack, as the SDK and other languages' libraries write it (no msgpackr records). */
const packr = new Packr({ useRecords: false, variableMapSize: true });
const bin = (v: unknown) => new Uint8Array(packr.pack(v));

/**
 * The general path's result for the same value: the frame as a map32 (0xdf), which the fast path
 * leaves alone, so msgpackr and zod decide.
 */
function general(frame: Uint8Array) {
  const n = frame[0]! & 0x0f;
  return decodeClientFrame(new Uint8Array([0xdf, 0, 0, 0, n, ...frame.subarray(1)]), true);
}

describe('decodeLocFrame', () => {
  it('reads the updates clients send', () => {
    const ts = 1_700_000_000_000;
    expect(decodeLocFrame(bin({ t: 'loc', lat: 52.5, lng: 13.4, ts }))).toStrictEqual({ t: 'loc', lat: 52.5, lng: 13.4, ts });
    expect(decodeLocFrame(bin({ t: 'loc', id: 'r-1', lat: -1.25, lng: 170, acc: 5, ts, seq: 42 }))).toStrictEqual({ t: 'loc', id: 'r-1', lat: -1.25, lng: 170, acc: 5, ts, seq: 42 });
    expect(decodeLocFrame(bin({ seq: 2 ** 40, ts, lng: 0, lat: 0, t: 'loc', id: -7 }))).toStrictEqual({ t: 'loc', id: -7, lat: 0, lng: 0, ts, seq: 2 ** 40 });
  });

  it('reads map16 frames too (msgpackr\'s default pack writes those)', () => {
    const frame = bin({ t: 'loc', lat: 1, lng: 2, ts: 3 });
    const map16 = new Uint8Array([0xde, 0, frame[0]! & 0x0f, ...frame.subarray(1)]);
    expect(decodeLocFrame(map16)).toStrictEqual({ t: 'loc', lat: 1, lng: 2, ts: 3 });
  });

  it('reads 64-bit integers as msgpackr does (one rounding)', () => {
    const frame = bin({ t: 'loc', lat: 1, lng: 2, ts: 1 });
    // ts as uint64 (0xcf) and as int64 (0xd3), as other languages' msgpack libraries write it.
    for (const tag of [0xcf, 0xd3]) {
      const bytes = Buffer.concat([frame.subarray(0, frame.length - 1), Buffer.from([tag, 0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00])]);
      expect(decodeLocFrame(bytes)).toStrictEqual({ t: 'loc', lat: 1, lng: 2, ts: 0x18bcfe56800 });
      expect(general(bytes)).toStrictEqual({ ok: true, msg: { t: 'loc', lat: 1, lng: 2, ts: 0x18bcfe56800 } });
    }
  });

  it('leaves to the general path what it does not vouch for', () => {
    const ts = 1_700_000_000_000;
    const passOn = [
      { t: 'loc', lat: 1, lng: 2, ts, extra: 1 }, // unknown field
      { t: 'ping' },
      { t: 'loc', lat: 91, lng: 2, ts },
      { t: 'loc', lat: 1, lng: 2 }, // no ts
      { t: 'loc', lat: 1, lng: 2, ts, acc: -1 },
      { t: 'loc', lat: 1, lng: 2, ts, seq: 1.5 },
      { t: 'loc', lat: 1, lng: 2, ts, id: 'é' },
      { t: 'loc', lat: 1, lng: 2, ts, id: 'x'.repeat(65) },
      { t: 'loc', lat: 1, lng: 2, ts, id: null },
      { t: 'loc', lat: '1', lng: 2, ts },
      [1, 2],
    ];
    for (const v of passOn) expect(decodeLocFrame(bin(v))).toBeUndefined();
    const good = bin({ t: 'loc', lat: 1, lng: 2, ts });
    expect(decodeLocFrame(new Uint8Array([...good, 0xc0]))).toBeUndefined(); // trailing bytes
    for (let cut = 0; cut < good.length; cut++) expect(decodeLocFrame(good.subarray(0, cut))).toBeUndefined();
    // A key given twice: msgpackr keeps the last one; left to it.
    const twice = new Uint8Array([0x84, 0xa1, 0x74, 0xa3, 0x6c, 0x6f, 0x63, 0xa3, 0x6c, 0x61, 0x74, 0x01, 0xa3, 0x6c, 0x61, 0x74, 0x02, 0xa2, 0x74, 0x73, 0x05]);
    expect(decodeLocFrame(twice)).toBeUndefined();
  });

  it('agrees with the general path on any frame it answers for, and answers for every valid plain one (property)', () => {
    const num = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.integer({ min: -200, max: 200 }),
      fc.maxSafeInteger(),
      fc.constantFrom(0, -0, 90, -90, 180, -180, 100_000, 1_700_000_000_000, Number.MAX_SAFE_INTEGER + 2),
    );
    const value = fc.oneof(num, fc.string({ maxLength: 70 }), fc.constant(null), fc.boolean(), fc.constant('loc'));
    const key = fc.constantFrom('t', 'id', 'lat', 'lng', 'acc', 'ts', 'seq', 'x', 'la');
    const record = fc.dictionary(key, value, { maxKeys: 8 });
    fc.assert(
      fc.property(record, fc.boolean(), (obj, forceLoc) => {
        if (forceLoc) obj.t = 'loc';
        const frame = bin(obj);
        const fast = decodeLocFrame(frame);
        if (fast === undefined) {
          // Passed on: only a frame the general path refuses, or one outside the fast path's shape.
          return;
        }
        expect(general(frame)).toStrictEqual({ ok: true, msg: fast });
      }),
      { numRuns: 3000 },
    );
    // Valid plain updates always take the fast path, and match the schema's output exactly.
    const valid = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 64 }).filter((s) => /^[\x00-\x7f]*$/.test(s)), fc.maxSafeInteger()),
        lat: fc.double({ min: -90, max: 90, noNaN: true }),
        lng: fc.double({ min: -180, max: 180, noNaN: true }),
        acc: fc.double({ min: 0, max: 100_000, noNaN: true }),
        ts: fc.double({ min: Number.MIN_VALUE, max: 1e15, noNaN: true }),
        seq: fc.nat(),
      },
      { requiredKeys: ['lat', 'lng', 'ts'] },
    );
    fc.assert(
      fc.property(valid, (fields) => {
        const frame = bin({ t: 'loc', ...fields });
        const fast = decodeLocFrame(frame);
        expect(fast).toBeDefined();
        // (Not `msg` itself: msgpackr writes -0 as the integer 0.)
        expect(general(frame)).toStrictEqual({ ok: true, msg: fast });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const r = decodeLocFrame(bytes);
        if (r !== undefined) expect(r.t).toBe('loc');
      }),
      { numRuns: 5000 },
    );
  });
});
