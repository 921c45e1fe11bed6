/**
 * The engine contract: one suite every Engine implementation must pass (memory, redis, later
 * redis-cluster). Each implementation's test file calls `engineContract(name, make)`.
 *
 * `make` returns a new engine, not yet connected; the suite connects and closes it. Engines made for
 * different tests may share a backend: every test uses its own key and channel names (`name()`).
 * Timing assertions leave room for a real network; TTLs are short (150 ms) to keep the suite fast.
 *
 * Not exported from the package index: it imports vitest.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError, isEngineError } from './errors.js';
import type { BusListener, Engine, EngineState, StreamEntry } from './types.js';

interface Received {
  channel: string;
  payload: Uint8Array;
}

/** A listener recording what it gets. */
function recorder(): { listener: BusListener; got: Received[] } {
  const got: Received[] = [];
  return { got, listener: (channel, payload) => got.push({ channel, payload }) };
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
/** Compare as plain arrays: engines may hand back Buffers (a Uint8Array subclass). */
const plain = (b: Uint8Array | null | undefined): number[] | null => (b ? Array.from(b) : null);
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
const readU32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const waitFor = (check: () => void, timeout = 5_000): Promise<void> => vi.waitFor(check, { timeout, interval: 5 });

/** Compares "<ms>-<seq>" ids numerically (string order is wrong across digit counts). */
function idLess(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am < bm || (am === bm && as < bs);
}

export function engineContract(label: string, make: () => Promise<Engine>): void {
  describe(`engine contract: ${label}`, () => {
    let engine: Engine;
    let seq = 0;
    /** A key or channel name unique to this test (engines of different tests may share a backend). */
    const name = (what: string): string => `contract:${what}:${Date.now().toString(36)}:${++seq}`;

    /**
     * Publishes on a fresh channel and waits for it: everything published before on the same
     * engine has been delivered by then (same connection, same queue), so "nothing arrived" can be
     * asserted without sleeping.
     */
    async function barrier(): Promise<void> {
      const channel = name('barrier');
      const r = recorder();
      await engine.bus.subscribe(channel, r.listener);
      await engine.bus.publish(channel, bytes(1));
      await waitFor(() => expect(r.got).toHaveLength(1));
      await engine.bus.unsubscribe(channel, r.listener);
    }

    beforeEach(async () => {
      engine = await make();
      await engine.connect();
    });

    afterEach(async () => {
      await engine.close();
    });

    describe('lifecycle', () => {
      it('is ready after connect(), and connect() again is harmless', async () => {
        expect(engine.state).toBe('ready');
        await engine.connect();
        expect(engine.state).toBe('ready');
      });

      it('probe() resolves with a round trip in ms, also for concurrent probes', async () => {
        const rtts = await Promise.all([engine.probe(2_000), engine.probe(2_000), engine.probe(2_000)]);
        for (const rtt of rtts) {
          expect(rtt).toBeGreaterThanOrEqual(0);
          expect(rtt).toBeLessThan(2_000);
        }
      });

      it('the probe channel is private: not counted, not seen by listeners', async () => {
        const before = engine.bus.channelCount;
        await engine.probe(2_000);
        expect(engine.bus.channelCount).toBe(before);
      });
    });

    describe('bus', () => {
      it('delivers the exact bytes with the logical channel name', async () => {
        const channel = name('exact');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        await engine.bus.publish(channel, bytes(0, 1, 2, 254, 255));
        await waitFor(() => expect(r.got).toHaveLength(1));
        expect(r.got[0]!.channel).toBe(channel);
        expect(plain(r.got[0]!.payload)).toEqual([0, 1, 2, 254, 255]);
      });

      it('delivers asynchronously, never inside publish()', async () => {
        const channel = name('async');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        const published = engine.bus.publish(channel, bytes(7));
        expect(r.got).toHaveLength(0);
        await published;
        await waitFor(() => expect(r.got).toHaveLength(1));
      });

      it('does not deliver to other channels', async () => {
        const a = recorder();
        const channelA = name('a');
        await engine.bus.subscribe(channelA, a.listener);
        await engine.bus.publish(name('b'), bytes(1));
        await barrier();
        expect(a.got).toHaveLength(0);
      });

      it('delivers nothing after the last unsubscribe', async () => {
        const channel = name('unsub');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        await engine.bus.unsubscribe(channel, r.listener);
        expect(engine.bus.channelCount).toBe(0);
        await engine.bus.publish(channel, bytes(1));
        await barrier();
        expect(r.got).toHaveLength(0);
      });

      it('counts references: two listeners on a channel, one upstream subscription', async () => {
        const channel = name('two');
        const a = recorder();
        const b = recorder();
        await engine.bus.subscribe(channel, a.listener);
        await engine.bus.subscribe(channel, b.listener);
        expect(engine.bus.channelCount).toBe(1);
        await engine.bus.publish(channel, bytes(1));
        await waitFor(() => expect(a.got.length + b.got.length).toBe(2));

        await engine.bus.unsubscribe(channel, a.listener);
        expect(engine.bus.channelCount).toBe(1);
        await engine.bus.publish(channel, bytes(2));
        await waitFor(() => expect(b.got).toHaveLength(2));
        await barrier();
        expect(a.got).toHaveLength(1);

        await engine.bus.unsubscribe(channel, b.listener);
        expect(engine.bus.channelCount).toBe(0);
      });

      it('counts references of the same listener; it is called once per message', async () => {
        const channel = name('same');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        await engine.bus.subscribe(channel, r.listener);
        await engine.bus.publish(channel, bytes(1));
        await waitFor(() => expect(r.got).toHaveLength(1));

        await engine.bus.unsubscribe(channel, r.listener);
        expect(engine.bus.channelCount).toBe(1);
        await engine.bus.publish(channel, bytes(2));
        await waitFor(() => expect(r.got).toHaveLength(2));

        await engine.bus.unsubscribe(channel, r.listener);
        expect(engine.bus.channelCount).toBe(0);
        await engine.bus.publish(channel, bytes(3));
        await barrier();
        expect(r.got).toHaveLength(2);
      });

      it('channelCount counts channels, and unsubscribing an unknown listener is a no-op', async () => {
        const r = recorder();
        const channels = [name('c1'), name('c2'), name('c3')];
        for (const c of channels) await engine.bus.subscribe(c, r.listener);
        expect(engine.bus.channelCount).toBe(3);
        await engine.bus.unsubscribe(channels[0]!, recorder().listener);
        await engine.bus.unsubscribe(name('never'), r.listener);
        expect(engine.bus.channelCount).toBe(3);
        for (const c of channels) await engine.bus.unsubscribe(c, r.listener);
        expect(engine.bus.channelCount).toBe(0);
      });

      it('concurrent subscribes to one channel all resolve with the subscription active', async () => {
        const channel = name('concurrent');
        const rs = [recorder(), recorder(), recorder()];
        await Promise.all(rs.map((r) => engine.bus.subscribe(channel, r.listener)));
        await engine.bus.publish(channel, bytes(9));
        await waitFor(() => {
          for (const r of rs) expect(r.got).toHaveLength(1);
        });
      });

      it('subscribe, unsubscribe, subscribe issued back to back ends subscribed', async () => {
        const channel = name('flap');
        const r = recorder();
        await Promise.all([
          engine.bus.subscribe(channel, r.listener),
          engine.bus.unsubscribe(channel, r.listener),
          engine.bus.subscribe(channel, r.listener),
        ]);
        expect(engine.bus.channelCount).toBe(1);
        await engine.bus.publish(channel, bytes(1));
        await waitFor(() => expect(r.got).toHaveLength(1));
      });

      it('keeps publish order per channel (1000 messages, two channels interleaved)', async () => {
        const channels = [name('order-a'), name('order-b')];
        const got: Record<string, number[]> = {};
        const listener: BusListener = (channel, payload) => (got[channel] ??= []).push(readU32(payload));
        for (const c of channels) await engine.bus.subscribe(c, listener);
        const sends: Promise<void>[] = [];
        for (let i = 0; i < 1000; i++) sends.push(engine.bus.publish(channels[i % 2]!, u32(i)));
        await Promise.all(sends);
        await waitFor(() => expect((got[channels[0]!]?.length ?? 0) + (got[channels[1]!]?.length ?? 0)).toBe(1000));
        const expected = (parity: number) => Array.from({ length: 500 }, (_, k) => 2 * k + parity);
        expect(got[channels[0]!]).toEqual(expected(0));
        expect(got[channels[1]!]).toEqual(expected(1));
      });

      it('carries binary payloads: every byte value, empty, and 256 KiB', async () => {
        const channel = name('binary');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        const big = Uint8Array.from({ length: 256 * 1024 }, (_, i) => (i * 31) & 0xff);
        await engine.bus.publish(channel, all);
        await engine.bus.publish(channel, new Uint8Array(0));
        await engine.bus.publish(channel, big);
        await waitFor(() => expect(r.got).toHaveLength(3));
        expect(plain(r.got[0]!.payload)).toEqual(Array.from(all));
        expect(r.got[1]!.payload.byteLength).toBe(0);
        expect(Buffer.from(r.got[2]!.payload).equals(Buffer.from(big))).toBe(true);
      });

      it('a payload keeps its bytes after the listener returns, while more messages arrive', async () => {
        // The nearby hub holds payloads until the end of the event-loop turn (HubDeps.deferFanOut).
        // Sizes from 1 byte to past a socket read (64 KiB), so a reply split across reads is included.
        const channel = name('kept');
        const held: Uint8Array[] = [];
        await engine.bus.subscribe(channel, (_c, payload) => held.push(payload));
        const sizes = Array.from({ length: 120 }, (_, i) => (i % 10 === 9 ? 70_000 + i : 1 + ((i * 97) % 900)));
        const sent = sizes.map((n, i) => Uint8Array.from({ length: n }, (_, k) => (i * 7 + k) & 0xff));
        await Promise.all(sent.map((p) => engine.bus.publish(channel, p)));
        await waitFor(() => expect(held).toHaveLength(sent.length));
        for (let i = 0; i < sent.length; i++) expect(Buffer.from(held[i]!).equals(Buffer.from(sent[i]!))).toBe(true);
      });

      it('accepts a payload that is a view into a larger buffer', async () => {
        const channel = name('view');
        const r = recorder();
        await engine.bus.subscribe(channel, r.listener);
        const backing = bytes(9, 9, 1, 2, 3, 9);
        await engine.bus.publish(channel, backing.subarray(2, 5));
        await waitFor(() => expect(r.got).toHaveLength(1));
        expect(plain(r.got[0]!.payload)).toEqual([1, 2, 3]);
      });

      it('a throwing listener does not stop delivery to others; the error goes to onError', async () => {
        const channel = name('throws');
        const errors: Error[] = [];
        engine.onError((err) => errors.push(err));
        const r = recorder();
        await engine.bus.subscribe(channel, () => {
          throw new Error('listener bug');
        });
        await engine.bus.subscribe(channel, r.listener);
        await engine.bus.publish(channel, bytes(1));
        await engine.bus.publish(channel, bytes(2));
        await waitFor(() => expect(r.got).toHaveLength(2));
        expect(errors.filter((e) => e.message === 'listener bug')).toHaveLength(2);
      });
    });

    describe('kv', () => {
      it('get of a missing key is null', async () => {
        expect(await engine.kv.get(name('missing'))).toBeNull();
      });

      it('set then get returns the exact bytes; set overwrites', async () => {
        const key = name('kv');
        await engine.kv.set(key, bytes(1, 2, 3));
        expect(plain(await engine.kv.get(key))).toEqual([1, 2, 3]);
        await engine.kv.set(key, bytes(4));
        expect(plain(await engine.kv.get(key))).toEqual([4]);
      });

      it('stores binary values: every byte value, and empty', async () => {
        const key = name('bin');
        const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
        await engine.kv.set(key, all);
        expect(plain(await engine.kv.get(key))).toEqual(Array.from(all));
        await engine.kv.set(key, new Uint8Array(0));
        const empty = await engine.kv.get(key);
        expect(empty).not.toBeNull();
        expect(empty!.byteLength).toBe(0);
      });

      it('mget is aligned with the keys, null for missing ones; empty in, empty out', async () => {
        const [a, b, c] = [name('m'), name('m'), name('m')];
        await engine.kv.set(a, bytes(1));
        await engine.kv.set(c, bytes(3));
        const got = await engine.kv.mget([a, b, c, a]);
        expect(got.map(plain)).toEqual([[1], null, [3], [1]]);
        expect(await engine.kv.mget([])).toEqual([]);
      });

      it('del reports whether a key was removed', async () => {
        const key = name('del');
        await engine.kv.set(key, bytes(1));
        expect(await engine.kv.del(key)).toBe(true);
        expect(await engine.kv.get(key)).toBeNull();
        expect(await engine.kv.del(key)).toBe(false);
      });

      it('pttl: -2 missing, -1 without expiry, remaining ms with one', async () => {
        const key = name('pttl');
        expect(await engine.kv.pttl(key)).toBe(-2);
        await engine.kv.set(key, bytes(1));
        expect(await engine.kv.pttl(key)).toBe(-1);
        await engine.kv.set(key, bytes(1), 10_000);
        const left = await engine.kv.pttl(key);
        expect(left).toBeGreaterThan(9_000);
        expect(left).toBeLessThanOrEqual(10_000);
        // ttl 0 (and omitted) means no expiry; a plain set clears a previous TTL, as in Redis.
        await engine.kv.set(key, bytes(1), 0);
        expect(await engine.kv.pttl(key)).toBe(-1);
      });

      it('a key with a TTL expires (get, mget, pttl, del all agree)', async () => {
        const key = name('ttl');
        const keep = name('keep');
        await engine.kv.set(key, bytes(1), 150);
        await engine.kv.set(keep, bytes(2));
        const left = await engine.kv.pttl(key);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(150);
        expect(plain(await engine.kv.get(key))).toEqual([1]);
        await sleep(250);
        expect(await engine.kv.get(key)).toBeNull();
        expect((await engine.kv.mget([key, keep])).map(plain)).toEqual([null, [2]]);
        expect(await engine.kv.pttl(key)).toBe(-2);
        expect(await engine.kv.del(key)).toBe(false);
      });

      it('rejects a negative TTL', async () => {
        await expect(engine.kv.set(name('neg'), bytes(1), -5)).rejects.toThrow(RangeError);
      });
    });

    describe('sets', () => {
      it('add / has / members / size / remove', async () => {
        const key = name('set');
        expect(await engine.sets.add(key, 'alice')).toBe(true);
        expect(await engine.sets.add(key, 'bob')).toBe(true);
        expect(await engine.sets.add(key, 'alice')).toBe(false);
        expect(await engine.sets.has(key, 'alice')).toBe(true);
        expect(await engine.sets.has(key, 'carol')).toBe(false);
        expect((await engine.sets.members(key)).sort()).toEqual(['alice', 'bob']);
        expect(await engine.sets.size(key)).toBe(2);
        expect(await engine.sets.remove(key, 'alice')).toBe(true);
        expect(await engine.sets.remove(key, 'alice')).toBe(false);
        expect(await engine.sets.members(key)).toEqual(['bob']);
      });

      it('a missing set is empty, and a set emptied by remove is gone', async () => {
        const key = name('empty');
        expect(await engine.sets.members(key)).toEqual([]);
        expect(await engine.sets.size(key)).toBe(0);
        expect(await engine.sets.has(key, 'x')).toBe(false);
        await engine.sets.add(key, 'x');
        await engine.sets.remove(key, 'x');
        expect(await engine.kv.pttl(key)).toBe(-2);
      });

      it('kv.del removes a set (one keyspace, as in Redis)', async () => {
        const key = name('delset');
        await engine.sets.add(key, 'x');
        expect(await engine.kv.del(key)).toBe(true);
        expect(await engine.sets.size(key)).toBe(0);
      });

      it('members are arbitrary strings (user ids with @ . : -)', async () => {
        const key = name('ids');
        const ids = ['a@b.c', 'u:1', 'x-y_z', 'é'];
        for (const id of ids) await engine.sets.add(key, id);
        expect((await engine.sets.members(key)).sort()).toEqual([...ids].sort());
      });
    });

    describe('record (kv + stream + channel in one step)', () => {
      it('sets the key with its TTL, appends the stream and publishes the exact bytes', async () => {
        // One hash tag for all three: what a cluster needs (one slot), harmless elsewhere.
        const tag = `{${name('rec')}}`;
        const w = { key: `${tag}:k`, ttlMs: 60_000, stream: `${tag}:s`, streamOptions: { retentionMs: 60_000, maxLen: 100 }, channel: `${tag}:c` };
        const r = recorder();
        await engine.bus.subscribe(w.channel, r.listener);
        const value = bytes(0, 1, 254, 255, 10, 13);
        await engine.record(w, value);
        await engine.record(w, u32(7));
        expect(readU32((await engine.kv.get(w.key))!)).toBe(7);
        const pttl = await engine.kv.pttl(w.key);
        expect(pttl).toBeGreaterThan(50_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
        const entries = await engine.streams.range(w.stream, 0, Number.MAX_SAFE_INTEGER, 10);
        expect(entries.map((e) => plain(e.value))).toEqual([plain(value), plain(u32(7))]);
        await waitFor(() => expect(r.got).toHaveLength(2));
        expect(r.got.map((g) => [g.channel, plain(g.payload)])).toEqual([
          [w.channel, plain(value)],
          [w.channel, plain(u32(7))],
        ]);
        await engine.bus.unsubscribe(w.channel, r.listener);
      });

      it('with a seq: keeps the highest number seen at seq.key, with the key\'s TTL; a bad seq writes nothing', async () => {
        const tag = `{${name('rec')}}`;
        const w = { key: `${tag}:k`, ttlMs: 60_000, stream: `${tag}:s`, streamOptions: { retentionMs: 60_000 }, channel: `${tag}:c` };
        const seqKey = `${tag}:seq`;
        const seqOf = async (): Promise<string | null> => {
          const raw = await engine.kv.get(seqKey);
          return raw === null ? null : new TextDecoder().decode(raw);
        };
        await engine.record({ ...w, seq: { key: seqKey, value: 5 } }, bytes(1));
        expect(await seqOf()).toBe('5');
        const pttl = await engine.kv.pttl(seqKey);
        expect(pttl).toBeGreaterThan(50_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
        // A lower number (an older update written late) never moves it back; the record itself is written.
        await engine.record({ ...w, seq: { key: seqKey, value: 3 } }, bytes(2));
        expect(await seqOf()).toBe('5');
        expect(plain((await engine.kv.get(w.key))!)).toEqual(plain(bytes(2)));
        await engine.record({ ...w, seq: { key: seqKey, value: 9 } }, bytes(3));
        expect(await seqOf()).toBe('9');
        // Something that is not a number is replaced.
        await engine.kv.set(seqKey, new TextEncoder().encode('junk'), 60_000);
        await engine.record({ ...w, seq: { key: seqKey, value: 1 } }, bytes(4));
        expect(await seqOf()).toBe('1');
        for (const value of [-1, 1.5, Number.NaN, 2 ** 60]) {
          await expect(engine.record({ ...w, key: `${tag}:k2`, seq: { key: seqKey, value } }, bytes(5))).rejects.toThrow(RangeError);
        }
        expect(await engine.kv.get(`${tag}:k2`)).toBeNull();
        expect(await seqOf()).toBe('1');
      });

      it('without a TTL the key does not expire; bad arguments are rejected before anything is written', async () => {
        const tag = `{${name('rec')}}`;
        const w = { key: `${tag}:k`, ttlMs: 0, stream: `${tag}:s`, streamOptions: { retentionMs: 60_000 }, channel: `${tag}:c` };
        await engine.record(w, bytes(1));
        expect(await engine.kv.pttl(w.key)).toBe(-1);
        await expect(engine.record({ ...w, key: `${tag}:k2`, ttlMs: -1 }, bytes(2))).rejects.toThrow(RangeError);
        expect(await engine.kv.get(`${tag}:k2`)).toBeNull();
        await expect(engine.record({ ...w, key: `${tag}:k3`, streamOptions: { retentionMs: -5 } }, bytes(3))).rejects.toThrow(RangeError);
        expect(await engine.kv.get(`${tag}:k3`)).toBeNull();
      });
    });

    describe('streams', () => {
      const opts = { retentionMs: 60_000 };

      it('append returns strictly increasing "<ms>-<seq>" ids; range returns entries oldest first', async () => {
        const key = name('stream');
        const before = Date.now();
        const ids: string[] = [];
        for (let i = 0; i < 20; i++) ids.push(await engine.streams.append(key, u32(i), opts));
        const after = Date.now();
        for (const id of ids) expect(id).toMatch(/^\d+-\d+$/);
        for (let i = 1; i < ids.length; i++) expect(idLess(ids[i - 1]!, ids[i]!)).toBe(true);

        const entries = await engine.streams.range(key, 0, Number.MAX_SAFE_INTEGER, 100);
        expect(entries.map((e) => e.id)).toEqual(ids);
        expect(entries.map((e) => readU32(e.value))).toEqual(Array.from({ length: 20 }, (_, i) => i));
        for (let i = 0; i < entries.length; i++) {
          const e = entries[i]!;
          // `at` is the acceptance time (engine clock; allow skew for a server clock) and non-decreasing.
          expect(e.at).toBeGreaterThanOrEqual(before - 1_000);
          expect(e.at).toBeLessThanOrEqual(after + 1_000);
          expect(e.id.startsWith(`${e.at}-`)).toBe(true);
          if (i > 0) expect(e.at).toBeGreaterThanOrEqual(entries[i - 1]!.at);
        }
      });

      it('stores binary values: every byte value, and empty', async () => {
        const key = name('sbin');
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        await engine.streams.append(key, all, opts);
        await engine.streams.append(key, new Uint8Array(0), opts);
        const [a, b] = await engine.streams.range(key, 0, Infinity, 10);
        expect(plain(a!.value)).toEqual(Array.from(all));
        expect(b!.value.byteLength).toBe(0);
      });

      it('range on a missing key, with limit 0, or with an empty window is empty', async () => {
        const key = name('none');
        expect(await engine.streams.range(key, 0, Infinity, 10)).toEqual([]);
        await engine.streams.append(key, bytes(1), opts);
        expect(await engine.streams.range(key, 0, Infinity, 0)).toEqual([]);
        expect(await engine.streams.range(key, 0, 1_000, 10)).toEqual([]);
        expect(await engine.streams.range(key, Date.now() + 60_000, Infinity, 10)).toEqual([]);
      });

      it('range filters by acceptance time, inclusive on both ends', async () => {
        const key = name('window');
        const all: StreamEntry[] = [];
        for (let i = 0; i < 3; i++) {
          await engine.streams.append(key, u32(i), opts);
          await sleep(15);
        }
        all.push(...(await engine.streams.range(key, 0, Infinity, 10)));
        expect(all).toHaveLength(3);
        const [first, second, third] = all as [StreamEntry, StreamEntry, StreamEntry];
        expect(second.at).toBeGreaterThan(first.at);
        expect(third.at).toBeGreaterThan(second.at);
        const middle = await engine.streams.range(key, second.at, second.at, 10);
        expect(middle.map((e) => e.id)).toEqual([second.id]);
        const tail = await engine.streams.range(key, second.at, third.at, 10);
        expect(tail.map((e) => e.id)).toEqual([second.id, third.id]);
        const head = await engine.streams.range(key, first.at, second.at - 1, 10);
        expect(head.map((e) => e.id)).toEqual([first.id]);
      });

      it('pages with limit + afterId: every entry exactly once, in order', async () => {
        const key = name('pages');
        const ids: string[] = [];
        for (let i = 0; i < 25; i++) ids.push(await engine.streams.append(key, u32(i), opts));
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const entries = await engine.streams.range(key, 0, Infinity, 10, cursor);
          expect(entries.length).toBeLessThanOrEqual(10);
          if (entries.length === 0) break;
          seen.push(...entries.map((e) => e.id));
          cursor = entries[entries.length - 1]!.id;
        }
        expect(seen).toEqual(ids);
      });

      it('afterId and fromMs combine: the later bound wins', async () => {
        const key = name('bounds');
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push(await engine.streams.append(key, u32(i), opts));
          await sleep(15);
        }
        const entries = await engine.streams.range(key, 0, Infinity, 10);
        const atOfLast = entries[2]!.at;
        // afterId before the window: fromMs decides.
        expect((await engine.streams.range(key, atOfLast, Infinity, 10, ids[0])).map((e) => e.id)).toEqual([ids[2]]);
        // afterId inside the window: afterId decides (exclusive).
        expect((await engine.streams.range(key, 0, Infinity, 10, ids[1])).map((e) => e.id)).toEqual([ids[2]]);
        expect(await engine.streams.range(key, 0, Infinity, 10, ids[2])).toEqual([]);
      });

      it('rejects a malformed afterId with a RangeError', async () => {
        const key = name('badcursor');
        await engine.streams.append(key, bytes(1), opts);
        await expect(engine.streams.range(key, 0, Infinity, 10, 'not-an-id')).rejects.toThrow(RangeError);
      });

      it('trims entries older than the retention at append time', async () => {
        const key = name('retention');
        const short = { retentionMs: 200 };
        // Enough entries to fill several Redis stream nodes: approximate trimming drops whole nodes.
        const sends: Promise<string>[] = [];
        for (let i = 0; i < 250; i++) sends.push(engine.streams.append(key, u32(i), short));
        await Promise.all(sends);
        await sleep(300);
        const last = await engine.streams.append(key, u32(999), short);
        const left = await engine.streams.range(key, 0, Infinity, 1_000);
        expect(left.length).toBeLessThan(251);
        expect(left.length).toBeLessThanOrEqual(101);
        expect(left[left.length - 1]!.id).toBe(last);
      });

      it('trims to about maxLen, always keeping the newest maxLen entries', async () => {
        const key = name('maxlen');
        const ids: string[] = [];
        for (let i = 0; i < 500; i++) ids.push(await engine.streams.append(key, u32(i), { retentionMs: 60_000, maxLen: 50 }));
        const left = await engine.streams.range(key, 0, Infinity, 1_000);
        expect(left.length).toBeGreaterThanOrEqual(50);
        expect(left.length).toBeLessThan(500);
        expect(left.slice(-50).map((e) => e.id)).toEqual(ids.slice(-50));
      });

      it('kv.del removes a stream (one keyspace, as in Redis)', async () => {
        const key = name('delstream');
        await engine.streams.append(key, bytes(1), opts);
        expect(await engine.kv.del(key)).toBe(true);
        expect(await engine.streams.range(key, 0, Infinity, 10)).toEqual([]);
      });
    });

    describe('close', () => {
      it('moves to closed; every operation then rejects with ENGINE_CLOSED', async () => {
        const states: EngineState[] = [];
        engine.onState((s) => states.push(s));
        await engine.close();
        expect(engine.state).toBe('closed');
        expect(states).toEqual(['closed']);
        const ops: [string, () => Promise<unknown>][] = [
          ['publish', () => engine.bus.publish('x', bytes(1))],
          ['subscribe', () => engine.bus.subscribe('x', () => {})],
          ['get', () => engine.kv.get('x')],
          ['mget', () => engine.kv.mget(['x'])],
          ['set', () => engine.kv.set('x', bytes(1))],
          ['del', () => engine.kv.del('x')],
          ['pttl', () => engine.kv.pttl('x')],
          ['sets.add', () => engine.sets.add('x', 'm')],
          ['sets.members', () => engine.sets.members('x')],
          ['append', () => engine.streams.append('x', bytes(1), { retentionMs: 1_000 })],
          ['range', () => engine.streams.range('x', 0, Infinity, 1)],
          ['probe', () => engine.probe(1_000)],
          ['connect', () => engine.connect()],
        ];
        for (const [op, run] of ops) {
          const err = await run().then(
            () => new Error(`${op} resolved after close`),
            (e: unknown) => e,
          );
          expect(isEngineError(err, 'ENGINE_CLOSED'), `${op}: ${String(err)}`).toBe(true);
        }
      });

      it('close() is idempotent and unsubscribe after close resolves', async () => {
        const listener: BusListener = () => {};
        const channel = name('closing');
        await engine.bus.subscribe(channel, listener);
        await engine.close();
        await engine.close();
        await engine.bus.unsubscribe(channel, listener);
        expect(engine.bus.channelCount).toBe(0);
      });

      it('a probe in flight when the engine closes rejects with ENGINE_CLOSED', async () => {
        const outcome = engine.probe(5_000).then(
          () => 'resolved',
          (err: unknown) => err,
        );
        await engine.close();
        expect(await outcome).toMatchObject({ code: 'ENGINE_CLOSED' });
        expect(await outcome).toBeInstanceOf(EngineError);
      });
    });
  });
}
