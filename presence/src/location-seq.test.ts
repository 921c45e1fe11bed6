import { MemoryEngine, type Engine } from '@locus/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { LocationSeqGuard } from './location-seq.js';
import { Presence } from './presence.js';
import { DEFAULT_PRESENCE_OPTIONS } from './presence-options.js';

const engines: Engine[] = [];
async function presenceOn(engine?: Engine): Promise<{ engine: Engine; presence: Presence }> {
  const e = engine ?? new MemoryEngine();
  if (!engine) {
    await e.connect();
    engines.push(e);
  }
  return { engine: e, presence: new Presence(e, DEFAULT_PRESENCE_OPTIONS) };
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

const base = Date.now() - 60_000;
const fix = (seq: number | undefined, ts = base + (seq ?? 0)) => ({ lat: 43.73, lng: 7.42, ts, seq });
const historyCount = async (p: Presence, user: string) => (await p.history.range(user, 0, Date.now() + 1000, 1000)).items.length;

describe('location seq de-duplication', () => {
  it('applies each seq once: a resend of an accepted seq is acknowledged but not written', async () => {
    const { presence } = await presenceOn();
    expect((await presence.acceptLocation('ann', fix(1))).duplicate).toBeUndefined();
    expect((await presence.acceptLocation('ann', fix(2))).live).toBe(true);
    const again = await presence.acceptLocation('ann', fix(2));
    expect(again).toMatchObject({ duplicate: true, live: false });
    expect((await presence.acceptLocation('ann', fix(1))).duplicate).toBe(true);
    expect(await historyCount(presence, 'ann')).toBe(2);
  });

  it('keeps updates without seq as before, and seqs per user', async () => {
    const { presence } = await presenceOn();
    await presence.acceptLocation('ann', fix(5));
    await presence.acceptLocation('ann', fix(undefined));
    await presence.acceptLocation('bob', fix(5));
    expect(await historyCount(presence, 'ann')).toBe(2);
    expect(await historyCount(presence, 'bob')).toBe(1);
  });

  it('applies exactly one of concurrent updates with the same seq, and a batch in order', async () => {
    const { presence } = await presenceOn();
    const results = await Promise.all([1, 2, 2, 3, 1, 3, 4].map((s) => presence.acceptLocation('ann', fix(s))));
    expect(results.filter((r) => r.duplicate).length).toBe(3);
    const items = (await presence.history.range('ann', 0, Date.now() + 1000, 100)).items;
    expect(items.map((i) => i.ts)).toEqual([1, 2, 3, 4].map((s) => fix(s).ts));
  });

  it('remembers the highest seq in the engine: another gateway (presence) does not apply it again', async () => {
    const { engine, presence: a } = await presenceOn();
    const { presence: b } = await presenceOn(engine);
    await a.acceptLocation('ann', fix(7));
    expect((await b.acceptLocation('ann', fix(7))).duplicate).toBe(true);
    expect((await b.acceptLocation('ann', fix(8))).duplicate).toBeUndefined();
    expect((await a.acceptLocation('ann', fix(8))).duplicate).toBe(true);
    expect(await historyCount(a, 'ann')).toBe(2);
  });

  it('gives a failed claim back so the resend is applied', async () => {
    const { engine, presence } = await presenceOn();
    const append = engine.streams.append.bind(engine.streams);
    let fail = true;
    engine.streams.append = (...args) => (fail ? Promise.reject(new Error('down')) : append(...args));
    await expect(presence.acceptLocation('ann', fix(3))).rejects.toThrow('down');
    fail = false;
    expect((await presence.acceptLocation('ann', fix(3))).duplicate).toBeUndefined();
    expect(await historyCount(presence, 'ann')).toBe(1);
  });

  it('claims in arrival order however the stored seq read is timed: an update overtaken while reading is not taken for a resend', async () => {
    // The engine's data is real (memory); only when its reads of the stored seq answer is held.
    const real = new MemoryEngine();
    await real.connect();
    engines.push(real);
    const gates: (() => void)[] = [];
    const held = Object.create(real) as Engine;
    Object.defineProperty(held, 'kv', {
      value: {
        ...real.kv,
        get: (key: string) => new Promise<Uint8Array | null>((resolve) => gates.push(() => void real.kv.get(key).then(resolve))),
        set: (...a: Parameters<Engine['kv']['set']>) => real.kv.set(...a),
      },
    });
    const guard = new LocationSeqGuard(held, 60_000);
    const first = guard.claim('ann', 10);
    const second = guard.claim('ann', 20);
    gates.shift()!(); // the first read answers…
    await first;
    const third = guard.claim('ann', 30); // …a later update arrives…
    for (const open of gates.splice(0)) open(); // …then any other read answers
    expect(await Promise.all([first, second, third])).toEqual([true, true, true]);
    // And a resend of an accepted seq is still refused.
    for (const seq of [10, 20, 30]) await guard.settle('ann', seq, true);
    const again = guard.claim('ann', 20);
    for (const open of gates.splice(0)) open();
    expect(await again).toBe(false);
  });
});
