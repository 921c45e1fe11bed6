import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientFrame, FrameError, WsFrameReader } from './ws-frame-reader.js';

type Got = { kind: 'message'; data: Buffer; isBinary: boolean } | { kind: 'control'; opcode: number; data: Buffer };

function reader(): { r: WsFrameReader; got: Got[] } {
  const got: Got[] = [];
  const r = new WsFrameReader({
    // Copy: a message may be a view of the chunk it came in.
    message: (data, isBinary) => got.push({ kind: 'message', data: Buffer.from(data), isBinary }),
    control: (opcode, data) => got.push({ kind: 'control', opcode, data: Buffer.from(data) }),
  });
  return { r, got };
}

/** One server frame as RFC 6455 lays it out; `mask` for the (unusual) masked case. */
function frame(opcode: number, payload: Buffer, fin = true, mask?: Buffer): Buffer {
  const len = payload.length;
  const ext = len < 126 ? Buffer.alloc(0) : len < 65536 ? Buffer.alloc(2) : Buffer.alloc(8);
  if (len >= 126 && len < 65536) ext.writeUInt16BE(len);
  if (len >= 65536) ext.writeBigUInt64BE(BigInt(len));
  const head = Buffer.from([(fin ? 0x80 : 0) | opcode, (mask ? 0x80 : 0) | (len < 126 ? len : len < 65536 ? 126 : 127)]);
  if (!mask) return Buffer.concat([head, ext, payload]);
  const body = Buffer.allocUnsafe(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, ext, mask, body]);
}

/** Deep equality over 64 KiB buffers is slow in expect: compare digests. */
const summary = (got: Got[]): string[] =>
  got.map((g) => `${g.kind} ${g.kind === 'message' ? g.isBinary : g.opcode} ${g.data.length} ${createHash('sha1').update(g.data).digest('hex')}`);

function splitAt(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(data.subarray(from, p));
    from = p;
  }
  out.push(data.subarray(from));
  return out;
}

const lengths = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constantFrom(125, 126, 127, 65535, 65536, 70_000));
const message = fc.record({
  isBinary: fc.boolean(),
  length: lengths,
  seed: fc.integer({ min: 0, max: 255 }),
  /** 1 = one frame; more = split into this many fragments. */
  parts: fc.integer({ min: 1, max: 4 }),
  masked: fc.boolean(),
  pingBefore: fc.boolean(),
});

describe('WsFrameReader', () => {
  it('yields every message and control frame in order, however the stream is cut (property)', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (msgs, cuts) => {
        const want: Got[] = [];
        const wire: Buffer[] = [];
        for (const m of msgs) {
          const data = Buffer.alloc(m.length, m.seed);
          for (let i = 0; i < data.length; i += 7) data[i] = (m.seed + i) & 0xff;
          if (m.pingBefore) {
            const p = Buffer.from([m.seed]);
            wire.push(frame(9, p));
            want.push({ kind: 'control', opcode: 9, data: p });
          }
          const mask = m.masked ? Buffer.from([1, 2, 3, m.seed]) : undefined;
          const opcode = m.isBinary ? 2 : 1;
          const size = Math.ceil(data.length / m.parts) || 1;
          for (let k = 0; k < m.parts; k++) {
            const part = data.subarray(k * size, (k + 1) * size);
            wire.push(frame(k === 0 ? opcode : 0, part, k === m.parts - 1, mask));
          }
          want.push({ kind: 'message', data, isBinary: m.isBinary });
        }
        const { r, got } = reader();
        for (const chunk of splitAt(Buffer.concat(wire), cuts)) r.push(chunk);
        expect(summary(got)).toEqual(summary(want));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what a server must not send, with FrameError', () => {
    const bad: [string, Buffer][] = [
      ['reserved bits', Buffer.from([0xc2, 0x00])],
      ['unknown opcode', Buffer.from([0x83, 0x00])],
      ['continuation with nothing to continue', Buffer.from([0x80, 0x00])],
      ['fragmented control frame', Buffer.from([0x09, 0x00])],
      ['control frame over 125 bytes', Buffer.concat([Buffer.from([0x89, 126, 0, 126]), Buffer.alloc(126)])],
      ['a new message inside a fragmented one', Buffer.from([0x02, 0x01, 0xaa, 0x82, 0x00])],
      ['over 4 GiB', Buffer.from([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0])],
      ['over the message limit', Buffer.from([0x82, 127, 0, 0, 0, 0, 0x10, 0, 0, 1])],
    ];
    for (const [why, data] of bad) {
      const { r } = reader();
      expect(() => r.push(data), why).toThrow(FrameError);
    }
  });

  it('on random bytes either reads frames or throws FrameError, nothing else (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const { r } = reader();
        try {
          r.push(Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(FrameError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('clientFrame', () => {
  it('is a masked frame (zero key) that reads back as the same payload (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(65535, 65536)), fc.constantFrom(1, 2), (len, opcode) => {
        const payload = Buffer.alloc(len, 0x5a);
        const f = clientFrame(payload, opcode);
        expect(f[0]).toBe(0x80 | opcode);
        expect(f[1]! & 0x80).toBe(0x80);
        const { r, got } = reader();
        r.push(f);
        expect(summary(got)).toEqual(summary([{ kind: 'message', data: payload, isBinary: opcode === 2 }]));
      }),
      { numRuns: 50 },
    );
  });
});
