import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineContract } from '../contract.js';
import { MemoryEngine } from './memory-engine.js';

engineContract('memory', async () => new MemoryEngine());

/** What the shared contract cannot pin down because Redis is approximate or remote. */
describe('MemoryEngine specifics', () => {
  const engines: MemoryEngine[] = [];
  const make = (options?: ConstructorParameters<typeof MemoryEngine>[0]): MemoryEngine => {
    const e = new MemoryEngine(options);
    engines.push(e);
    return e;
  };
  const opts = { retentionMs: 60_000 };

  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });

  it('trims by retention exactly', async () => {
    const e = make();
    await e.streams.append('s', new Uint8Array([1]), { retentionMs: 100 });
    await e.streams.append('s', new Uint8Array([2]), { retentionMs: 100 });
    await new Promise((r) => setTimeout(r, 150));
    const last = await e.streams.append('s', new Uint8Array([3]), { retentionMs: 100 });
    expect((await e.streams.range('s', 0, Infinity, 10)).map((x) => x.id)).toEqual([last]);
  });

  it('trims by maxLen exactly, and bounds streams by default', async () => {
    const e = make({ defaultStreamMaxLen: 100 });
    for (let i = 0; i < 130; i++) await e.streams.append('a', new Uint8Array([i]), { ...opts, maxLen: 7 });
    for (let i = 0; i < 130; i++) await e.streams.append('b', new Uint8Array([i]), opts);
    const a = await e.streams.range('a', 0, Infinity, 1_000);
    const b = await e.streams.range('b', 0, Infinity, 1_000);
    expect(a.map((x) => x.value[0])).toEqual([123, 124, 125, 126, 127, 128, 129]);
    expect(b).toHaveLength(100);
    expect(b[0]!.value[0]).toBe(30);
  });

  it('default stream bound is 10 000 entries', async () => {
    const e = make();
    for (let i = 0; i < 10_050; i++) await e.streams.append('s', new Uint8Array(0), opts);
    expect(await e.streams.range('s', 0, Infinity, 20_000)).toHaveLength(10_000);
  });

  it('ids keep increasing when the clock steps back, and `at` never decreases', async () => {
    const e = make();
    const now = vi.spyOn(Date, 'now');
    const ids: string[] = [];
    for (const t of [5_000, 5_000, 4_000, 6_000]) {
      now.mockReturnValue(t);
      ids.push(await e.streams.append('s', new Uint8Array(0), opts));
    }
    expect(ids).toEqual(['5000-0', '5000-1', '5000-2', '6000-0']);
    const entries = await e.streams.range('s', 0, Infinity, 10);
    expect(entries.map((x) => x.at)).toEqual([5_000, 5_000, 5_000, 6_000]);
  });

  it('the sweep frees expired keys nobody reads again', async () => {
    const e = make({ sweepIntervalMs: 20 });
    for (let i = 0; i < 2_000; i++) await e.kv.set(`k${i}`, new Uint8Array([1]), 30);
    await e.kv.set('forever', new Uint8Array([1]));
    expect(e.kv.size).toBe(2_001);
    await vi.waitFor(() => expect(e.kv.size).toBe(1), { timeout: 2_000, interval: 20 });
  });

  it('using a key as the wrong kind fails like Redis (WRONGTYPE)', async () => {
    const e = make();
    await e.sets.add('k', 'm');
    await expect(e.kv.get('k')).rejects.toThrow(/WRONGTYPE/);
    await expect(e.streams.append('k', new Uint8Array(0), opts)).rejects.toThrow(/WRONGTYPE/);
    expect(await e.kv.mget(['k'])).toEqual([null]);
    // SET replaces any kind.
    await e.kv.set('k', new Uint8Array([1]));
    await expect(e.sets.size('k')).rejects.toThrow(/WRONGTYPE/);
  });

  it('a listener publishing from inside a delivery is not re-entered; order holds', async () => {
    const e = make();
    const seen: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    await e.bus.subscribe('c', (_c, p) => {
      maxDepth = Math.max(maxDepth, ++depth);
      seen.push(p[0]!);
      if (p[0]! < 5) void e.bus.publish('c', new Uint8Array([p[0]! + 1]));
      depth--;
    });
    await e.bus.publish('c', new Uint8Array([0]));
    await vi.waitFor(() => expect(seen).toEqual([0, 1, 2, 3, 4, 5]));
    expect(maxDepth).toBe(1);
  });

  it('is connecting before connect(), ready after, closed after close()', async () => {
    const e = make();
    const states: string[] = [];
    e.onState((s) => states.push(s));
    expect(e.state).toBe('connecting');
    await e.connect();
    await e.close();
    expect(states).toEqual(['ready', 'closed']);
  });
});
