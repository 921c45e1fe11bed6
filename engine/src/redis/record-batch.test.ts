import fc from 'fast-check';
import { Redis, ReplyError } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenGate } from '../open-gate.js';
import { deleteKeysWithPrefix } from '../testing/delete-keys.js';
import { testRedisUrl } from '../testing/redis-url.js';
import { uniquePrefix } from '../testing/unique-prefix.js';
import type { RecordWrite } from '../types.js';
import { RecordBatcher } from './record-batch.js';
import { toEngineError, type RedisContext } from './redis-context.js';

const url = testRedisUrl();
const prefix = uniquePrefix();

describe('RecordBatcher (standalone Redis)', () => {
  let cmd: Redis;
  let sub: Redis;
  const got: [string, Buffer][] = [];

  const batcher = (windowMs = 1): RecordBatcher => {
    const gate = new OpenGate('test');
    const ctx: RedisContext = { cmd, prefix, gate, fail: (err: unknown): never => { throw toEngineError(err, gate, 'test'); } };
    return new RecordBatcher(ctx, windowMs);
  };
  let n = 0;
  /** A record with names of its own (a hash tag each, as a user's are). */
  const write = (seq?: number): RecordWrite => {
    const tag = `{u${n++}}`;
    return { key: `${tag}:loc`, ttlMs: 60_000, stream: `${tag}:hist`, streamOptions: { retentionMs: 60_000, maxLen: 50 }, channel: `ch:${tag}`, ...(seq === undefined ? {} : { seq: { key: `${tag}:seq`, value: seq } }) };
  };
  const stored = async (w: RecordWrite): Promise<{ value: Buffer | null; history: Buffer[]; seq: string | null; pttl: number }> => {
    const entries = (await cmd.xrangeBuffer(prefix + w.stream, '-', '+')) as [Buffer, Buffer[]][];
    return {
      value: await cmd.getBuffer(prefix + w.key),
      history: entries.map(([, f]) => f[1]!),
      seq: w.seq ? await cmd.get(prefix + w.seq.key) : null,
      pttl: await cmd.pttl(prefix + w.key),
    };
  };

  beforeAll(async () => {
    cmd = new Redis(url);
    sub = new Redis(url);
    await sub.psubscribe(`${prefix}ch:*`);
    sub.on('pmessageBuffer', (_p: Buffer, channel: Buffer, message: Buffer) => got.push([channel.toString(), message]));
  });

  afterAll(async () => {
    sub.disconnect();
    await deleteKeysWithPrefix(url, prefix);
    cmd.disconnect();
  });

  it('sends the records of one turn as one script call; each is written, kept in history and published', async () => {
    const b = batcher();
    const writes = Array.from({ length: 40 }, (_, i) => write(i % 2 === 0 ? i : undefined));
    await Promise.all(writes.map((w, i) => b.record(w, Uint8Array.of(i, 0, 255))));
    expect(b.calls).toBe(1);
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i]!;
      const s = await stored(w);
      expect([...s.value!]).toEqual([i, 0, 255]);
      expect(s.history.map((h) => [...h])).toEqual([[i, 0, 255]]);
      expect(s.seq).toBe(i % 2 === 0 ? String(i) : null);
      expect(s.pttl).toBeGreaterThan(50_000);
    }
    await expect.poll(() => got.filter(([c]) => writes.some((w) => c === prefix + w.channel)).length).toBe(40);
  });

  it('a record whose write fails rejects alone, with Redis\'s error; the rest of its batch is written', async () => {
    const b = batcher();
    const [ok1, bad, ok2] = [write(1), write(2), write(3)];
    // The history key holds a string: XADD answers WRONGTYPE.
    await cmd.set(prefix + bad.stream, 'not a stream');
    const results = await Promise.allSettled([b.record(ok1, Uint8Array.of(1)), b.record(bad, Uint8Array.of(2)), b.record(ok2, Uint8Array.of(3))]);
    expect(b.calls).toBe(1);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[2]!.status).toBe('fulfilled');
    const r = results[1]!;
    expect(r.status).toBe('rejected');
    expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ReplyError);
    expect(String((r as PromiseRejectedResult).reason.message)).toMatch(/WRONGTYPE/);
    // What came before the failing command stays (as with one script per record); nothing after it runs.
    expect([...(await cmd.getBuffer(prefix + bad.key))!]).toEqual([2]);
    expect(await cmd.get(prefix + bad.seq!.key)).toBeNull();
    expect([...(await stored(ok2)).value!]).toEqual([3]);
  });

  it('splits a long queue into calls of at most 256 records', async () => {
    const b = batcher();
    const writes = Array.from({ length: 600 }, () => write());
    await Promise.all(writes.map((w) => b.record(w, Uint8Array.of(7))));
    expect(b.calls).toBe(3);
    for (const w of [writes[0]!, writes[255]!, writes[256]!, writes[599]!]) expect([...(await stored(w)).value!]).toEqual([7]);
  });

  it('within the write window after a call, later records wait and share the next call', async () => {
    const b = batcher(200);
    await b.record(write(), Uint8Array.of(1));
    const t0 = performance.now();
    const second = b.record(write(), Uint8Array.of(2));
    await new Promise((r) => setImmediate(r));
    const third = b.record(write(), Uint8Array.of(3));
    await Promise.all([second, third]);
    expect(b.calls).toBe(2);
    // They waited for the window (less what the first call's round trip took), not a turn.
    expect(performance.now() - t0).toBeGreaterThan(50);
  });

  it('bad arguments reject before anything is queued', async () => {
    const b = batcher();
    const w = write();
    await expect(b.record({ ...w, ttlMs: -1 }, Uint8Array.of(1))).rejects.toThrow(RangeError);
    await expect(b.record({ ...w, seq: { key: 'k', value: 1.5 } }, Uint8Array.of(1))).rejects.toThrow(RangeError);
    await expect(b.record({ ...w, streamOptions: { retentionMs: 0 } }, Uint8Array.of(1))).rejects.toThrow(RangeError);
    expect(b.calls).toBe(0);
    expect(await cmd.exists(prefix + w.key)).toBe(0);
  });

  it('any bytes and any names round-trip (property)', async () => {
    const b = batcher(0);
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, fc.uint8Array({ maxLength: 200 }), fc.option(fc.nat(), { nil: undefined })), { minLength: 1, maxLength: 20 }), async (items) => {
        const writes = items.map(([label, , seq]) => {
          const tag = `{p${n++}:${label}}`;
          const w: RecordWrite = { key: `${tag}:k`, ttlMs: 0, stream: `${tag}:s`, streamOptions: { retentionMs: 60_000 }, channel: `ch:${tag}` };
          if (seq !== undefined) w.seq = { key: `${tag}:q`, value: seq };
          return w;
        });
        await Promise.all(writes.map((w, i) => b.record(w, items[i]![1])));
        for (let i = 0; i < writes.length; i++) {
          const s = await stored(writes[i]!);
          expect(Buffer.compare(s.value!, Buffer.from(items[i]![1]))).toBe(0);
          expect(s.history).toHaveLength(1);
          expect(s.pttl).toBe(-1);
          expect(s.seq).toBe(items[i]![2] === undefined ? null : String(items[i]![2]));
        }
      }),
      { numRuns: 25 },
    );
  });
});
