import fc from 'fast-check';
import { pack, Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { FriendLocFrame } from '@locus/protocol';
import {
  ACK,
  decodeMsgpackMessage,
  decodeSocketIoMessage,
  DELIVERY,
  ERROR,
  OTHER,
  readMsgpackMessage,
  readSocketIoDelivery,
  UNKNOWN,
  type Stamp,
} from './delivery-reader.js';

const map16 = new Packr({ useRecords: false, variableMapSize: false });

function bothMsgpack(b: Uint8Array): { fast: number; fastTs: number; general: number; generalTs: number } {
  const a: Stamp = { ts: Number.NaN };
  const g: Stamp = { ts: Number.NaN };
  const fast = readMsgpackMessage(b, a);
  const general = decodeMsgpackMessage(b, g);
  return { fast, fastTs: a.ts, general, generalTs: g.ts };
}

function expectAgrees(r: ReturnType<typeof bothMsgpack>): void {
  if (r.fast === UNKNOWN) return;
  expect(r.fast).toBe(r.general);
  if (r.fast === DELIVERY) expect(Object.is(r.fastTs, r.generalTs)).toBe(true);
}

describe('readMsgpackMessage', () => {
  it('reads the frames the bench receives without the general decoder', () => {
    const frame = new FriendLocFrame();
    frame.encode('bench-17', 52.52, 13.4, -1, 1_764_000_000_123.25);
    const s: Stamp = { ts: 0 };
    expect(readMsgpackMessage(frame.withDistance(12.5), s)).toBe(DELIVERY);
    expect(s.ts).toBe(1_764_000_000_123.25);
    frame.encode('bench-3', 52.52, 13.4, 7, 99.5);
    expect(readMsgpackMessage(frame.withDistance(0), s)).toBe(DELIVERY);
    expect(s.ts).toBe(99.5);
    // The bare uWS server's delivery and both stacks' acknowledgement and error shapes.
    expect(readMsgpackMessage(pack({ t: 'friend_loc', user: '5', lat: 1.5, lng: 2.5, ts: 1234.5 }), s)).toBe(DELIVERY);
    expect(s.ts).toBe(1234.5);
    expect(readMsgpackMessage(pack({ t: 'ok', of: 'loc', seq: 70000 }), s)).toBe(ACK);
    expect(readMsgpackMessage(pack({ t: 'error', code: 'rate_limited', message: 'slow down', retryAfterMs: 20 }), s)).toBe(ERROR);
    expect(readMsgpackMessage(pack({ t: 'nearby', friends: [{ id: 'a', lat: 1, lng: 2, d: 3 }] }), s)).toBe(OTHER);
  });

  it('hands anything it does not walk whole to the general decoder', () => {
    const s: Stamp = { ts: 0 };
    for (const b of [
      new Uint8Array(0),
      pack([1, 2, 3]),
      pack('friend_loc'),
      pack({ t: 'friend_loc', ts: '12' }),
      pack({ t: 'friend_loc' }),
      pack({ ts: 5 }),
      pack({ t: 7 }),
      Buffer.concat([pack({ t: 'ok' }), Buffer.from([0x01])]),
      pack({ t: 'ok' }).subarray(0, 3),
    ]) {
      expect(readMsgpackMessage(b, s)).toBe(UNKNOWN);
    }
  });

  it('agrees with msgpackr on random maps', () => {
    const tValue = fc.oneof(fc.constantFrom('friend_loc', 'ok', 'error', 'loc', ''), fc.string(), fc.integer(), fc.constant(null));
    const tsValue = fc.oneof(fc.double(), fc.integer(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.string(), fc.boolean(), fc.constant(null));
    const extra = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.option(tValue, { nil: undefined }), fc.option(tsValue, { nil: undefined }), extra, fc.boolean(), (t, ts, rest, wide) => {
        const o: Record<string, unknown> = { ...rest };
        if (t !== undefined) o.t = t;
        if (ts !== undefined) o.ts = ts;
        expectAgrees(bothMsgpack((wide ? map16 : { pack }).pack(o)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with msgpackr on random bytes and on cut or altered frames', () => {
    const frame = new FriendLocFrame();
    frame.encode('u-1', 52.5, 13.4, 3, 1_764_000_000_000.5);
    const good = Uint8Array.from(frame.withDistance(42));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => expectAgrees(bothMsgpack(b))),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.nat(good.length), fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (cut, at, v) => {
        expectAgrees(bothMsgpack(good.subarray(0, cut)));
        const altered = Uint8Array.from(good);
        altered[at] = v;
        expectAgrees(bothMsgpack(altered));
      }),
      { numRuns: 2000 },
    );
  });
});

function bothSocketIo(text: string): { fast: number; fastTs: number; general: number; generalTs: number } {
  const a: Stamp = { ts: Number.NaN };
  const g: Stamp = { ts: Number.NaN };
  const fast = readSocketIoDelivery(Buffer.from(text), a);
  const general = decodeSocketIoMessage(text, g);
  return { fast, fastTs: a.ts, general, generalTs: g.ts };
}

describe('readSocketIoDelivery', () => {
  it("reads the bench server's deliveries without JSON.parse", () => {
    const s: Stamp = { ts: 0 };
    const body = { user: '12', lat: 52.51234, lng: 13.41, ts: 1_764_000_000_123.375 };
    expect(readSocketIoDelivery(Buffer.from(`42${JSON.stringify(['friend_loc', body])}`), s)).toBe(DELIVERY);
    expect(s.ts).toBe(body.ts);
    expect(readSocketIoDelivery(Buffer.from(`42["friend_loc",{"ts":-1.5e-7}]`), s)).toBe(DELIVERY);
    expect(s.ts).toBe(-1.5e-7);
  });

  it('leaves the rest to the general parser', () => {
    const s: Stamp = { ts: 0 };
    for (const t of ['2', '43[5]', '44{"message":"no"}', '42["friend_loc",{"user":"a","ts":"5"}]', '42["friend_loc",{"user":{"ts":1},"ts":2}]', '42["friend_loc",{"user":"\\"","ts":2}]', '42["other",{"ts":2}]', '42["friend_loc",{"xts":2}]', '42["friend_loc",{"ts":1,"ts":2}]']) {
      expect(readSocketIoDelivery(Buffer.from(t), s)).toBe(UNKNOWN);
    }
    expect(decodeSocketIoMessage('43[5]', s)).toBe(ACK);
    expect(decodeSocketIoMessage('44{"message":"no"}', s)).toBe(ERROR);
  });

  it('agrees with JSON.parse on random events', () => {
    const scalar = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null));
    const body = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(scalar, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.constantFrom('friend_loc', 'loc', 'friend_gone'), body, fc.option(fc.oneof(fc.double(), fc.integer(), scalar), { nil: undefined }), (name, b, ts) => {
        const o: Record<string, unknown> = { ...b };
        if (ts !== undefined) o.ts = ts;
        const r = bothSocketIo(`42${JSON.stringify([name, o])}`);
        if (r.fast === UNKNOWN) return;
        expect(r.fast).toBe(r.general);
        expect(Object.is(r.fastTs, r.generalTs)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
