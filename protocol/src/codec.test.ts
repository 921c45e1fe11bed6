import fc from 'fast-check';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES } from './client-messages.js';
import { decodeClientFrame, decodeServerFrame, encodeClientMessage, encodeServerMessage } from './codec.js';

const bin = (v: unknown) => new Uint8Array(pack(v));
const text = (s: string) => new TextEncoder().encode(s);
const goodLoc = { t: 'loc', id: 7, lat: 43.73, lng: 7.42, acc: 5, ts: 1_700_000_000_000 };

describe('decodeClientFrame', () => {
  it('accepts a valid msgpack location update', () => {
    const r = decodeClientFrame(bin(goodLoc), true);
    expect(r).toEqual({ ok: true, msg: goodLoc });
  });

  it('accepts the same message as a JSON text frame', () => {
    const r = decodeClientFrame(text(JSON.stringify(goodLoc)), false);
    expect(r).toEqual({ ok: true, msg: goodLoc });
  });

  it('ignores unknown fields (forward compatible)', () => {
    const r = decodeClientFrame(bin({ ...goodLoc, extra: 'x' }), true);
    expect(r.ok).toBe(true);
  });

  it('rejects bytes that are not msgpack', () => {
    const r = decodeClientFrame(new Uint8Array([0xc1, 0xff, 0x00]), true);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('rejects truncated msgpack', () => {
    const whole = bin(goodLoc);
    for (let cut = 1; cut < whole.length; cut++) {
      const r = decodeClientFrame(whole.subarray(0, cut), true);
      expect(r.ok).toBe(false);
    }
  });

  it('rejects trailing bytes after one value', () => {
    const a = bin(goodLoc);
    const two = new Uint8Array(a.length * 2);
    two.set(a, 0);
    two.set(a, a.length);
    expect(decodeClientFrame(two, true)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('rejects invalid UTF-8 and invalid JSON in text frames', () => {
    expect(decodeClientFrame(new Uint8Array([0x7b, 0xff, 0x7d]), false).ok).toBe(false);
    expect(decodeClientFrame(text('{"t":'), false).ok).toBe(false);
  });

  it('rejects non-map values', () => {
    for (const v of [1, 'loc', null, [goodLoc], true]) {
      expect(decodeClientFrame(bin(v), true)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    }
  });

  it('reports unknown types with UNKNOWN_TYPE and echoes the id', () => {
    const r = decodeClientFrame(bin({ t: 'teleport', id: 'a1' }), true);
    expect(r).toMatchObject({ ok: false, id: 'a1', error: { code: 'UNKNOWN_TYPE' } });
  });

  it('rejects wrong field types and names the field', () => {
    const r = decodeClientFrame(bin({ ...goodLoc, lat: '43.7' }), true);
    expect(r).toMatchObject({ ok: false, id: 7, type: 'loc', error: { code: 'BAD_MESSAGE', details: { field: 'lat' } } });
  });

  it.each([
    ['NaN lat', { lat: Number.NaN }],
    ['Infinity lng', { lng: Number.POSITIVE_INFINITY }],
    ['-Infinity ts', { ts: Number.NEGATIVE_INFINITY }],
    ['lat > 90', { lat: 90.0001 }],
    ['lat < -90', { lat: -91 }],
    ['lng > 180', { lng: 180.5 }],
    ['lng < -180', { lng: -200 }],
    ['negative accuracy', { acc: -1 }],
    ['zero ts', { ts: 0 }],
    ['fractional seq', { seq: 1.5 }],
  ])('rejects %s', (_name, patch) => {
    const r = decodeClientFrame(bin({ ...goodLoc, ...patch }), true);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('accepts the boundary coordinates', () => {
    for (const [lat, lng] of [[90, 180], [-90, -180], [0, 0]] as const) {
      expect(decodeClientFrame(bin({ ...goodLoc, lat, lng }), true).ok).toBe(true);
    }
  });

  it('rejects user ids that could break key hash tags', () => {
    const r = decodeClientFrame(bin({ t: 'friend_request', user: 'a}{b' }), true);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.boolean(), (bytes, isBinary) => {
        const r = decodeClientFrame(bytes, isBinary);
        if (!r.ok) expect(['BAD_MESSAGE', 'UNKNOWN_TYPE']).toContain(r.error.code);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on mutated valid frames, and whatever it accepts is schema-valid (property)', () => {
    const valid = fc.constantFrom(
      bin(goodLoc),
      bin({ t: 'friend_request', id: 'x', user: 'bob' }),
      bin({ t: 'settings', radius: 8000 }),
      bin({ t: 'history', from: 0, to: 1e13, limit: 10 }),
      bin({ t: 'refresh', token: 'abc.def.ghi' }),
    );
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), drop: fc.nat(4) });
    fc.assert(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 4 }), (frame, muts) => {
        let f = Uint8Array.from(frame);
        for (const m of muts) {
          f[m.at % f.length] = m.byte;
          if (m.drop > 0 && f.length > m.drop) f = f.subarray(0, f.length - m.drop);
        }
        const r = decodeClientFrame(f, true);
        if (r.ok) {
          expect(CLIENT_MESSAGE_TYPES).toContain(r.msg.t);
          if (r.msg.t === 'loc') {
            expect(Number.isFinite(r.msg.lat) && Math.abs(r.msg.lat) <= 90).toBe(true);
            expect(Number.isFinite(r.msg.lng) && Math.abs(r.msg.lng) <= 180).toBe(true);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips any valid location update (property)', () => {
    const loc = fc.record({
      t: fc.constant('loc' as const),
      // -0 travels as the integer 0 in msgpack: the same place, so normalise it.
      lat: fc.double({ min: -90, max: 90, noNaN: true }).map((v) => v + 0),
      lng: fc.double({ min: -180, max: 180, noNaN: true }).map((v) => v + 0),
      ts: fc.integer({ min: 1, max: 4_000_000_000_000 }),
    });
    fc.assert(
      fc.property(loc, fc.constantFrom('msgpack' as const, 'json' as const), (m, format) => {
        const enc = encodeClientMessage(m, format);
        const r = decodeClientFrame(typeof enc === 'string' ? text(enc) : enc, format === 'msgpack');
        expect(r).toEqual({ ok: true, msg: format === 'json' ? JSON.parse(JSON.stringify(m)) : m });
      }),
    );
  });
});

describe('server messages', () => {
  it('encode and decode in both formats', () => {
    const msg = { t: 'error', id: 3, code: 'RATE_LIMITED', message: 'slow down' } as const;
    expect(decodeServerFrame(encodeServerMessage(msg, 'msgpack') as Uint8Array)).toEqual(msg);
    expect(decodeServerFrame(encodeServerMessage(msg, 'json') as string)).toEqual(msg);
  });
});
