import fc from 'fast-check';
import { unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { Str32Array } from './str32-array.js';

describe('Str32Array', () => {
  it('is a msgpack array of the fields, strings as UTF-8 and bytes as they are', () => {
    const field = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ maxLength: 300 }));
    fc.assert(
      fc.property(fc.array(fc.array(field, { maxLength: 30 }), { minLength: 1, maxLength: 4 }), (batches) => {
        // One builder across batches: what take() leaves behind must not leak into the next.
        const a = new Str32Array();
        for (const fields of batches) {
          for (const f of fields) {
            if (typeof f === 'string') a.addString(f);
            else a.addBytes(f);
          }
          expect(a.fields).toBe(fields.length);
          const out = a.take();
          expect(a.fields).toBe(0);
          // msgpackr reads str as a JS string: compare bytes through UTF-8 (binary fields are not UTF-8).
          const decoded = unpack(out) as unknown;
          expect(Array.isArray(decoded)).toBe(true);
          const back = decoded as string[];
          expect(back).toHaveLength(fields.length);
          let at = 5;
          for (let i = 0; i < fields.length; i++) {
            const f = fields[i]!;
            const want = typeof f === 'string' ? Buffer.from(f, 'utf8') : Buffer.from(f);
            expect(out[at]).toBe(0xdb);
            const n = out.readUInt32BE(at + 1);
            expect(n).toBe(want.length);
            expect(Buffer.compare(out.subarray(at + 5, at + 5 + n), want)).toBe(0);
            if (typeof f === 'string') expect(back[i]).toBe(f);
            at += 5 + n;
          }
          expect(at).toBe(out.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('grows past its first buffer and keeps what it held', () => {
    const a = new Str32Array();
    const big = new Uint8Array(40_000).map((_, i) => i % 251);
    a.addString('before');
    a.addBytes(big);
    a.addString('é'.repeat(20_000));
    const back = unpack(a.take()) as unknown[];
    expect(back[0]).toBe('before');
    expect(back[2]).toBe('é'.repeat(20_000));
  });
});
