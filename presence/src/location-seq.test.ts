import { keys, MemoryEngine, type Engine } from '@locus/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('a live update writes its seq with its record (one engine step); a history-only one writes it apart', async () => {
    const { engine, presence } = await presenceOn();
    // Attached, so the hub knows the newest fix and an older one is history only.
    const silent = { friendLocation() {}, friendGone() {}, friendEvent() {}, settingsChanged() {}, fenceEvent() {} };
    await presence.hub.attach('cat', silent);
    const record = vi.spyOn(engine, 'record');
    const set = vi.spyOn(engine.kv, 'set');
    const stored = async (): Promise<string | null> => {
      const raw = await engine.kv.get(keys.locationSeq('cat'));
      return raw === null ? null : new TextDecoder().decode(raw);
    };
    expect((await presence.acceptLocation('cat', fix(4))).live).toBe(true);
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ seq: { key: keys.locationSeq('cat'), value: 4 } }), expect.anything());
    expect(await stored()).toBe('4');
    // The guard wrote nothing itself (the memory engine's record uses kv.set inside: count those apart).
    const setsBySeqKey = () => set.mock.calls.filter(([k]) => k === keys.locationSeq('cat')).length;
    expect(setsBySeqKey()).toBe(1);
    // An older fix (history only) with a newer seq: no record, so the guard writes the seq.
    expect((await presence.acceptLocation('cat', fix(5, base - 1000))).live).toBe(false);
    expect(await stored()).toBe('5');
    expect(setsBySeqKey()).toBe(2);
    await presence.hub.detach('cat', silent);
  });

  it('reads the stored seq once while the user stays connected here, and again after a reconnect', async () => {
    const { engine: real } = await presenceOn();
    // Counts the guard's reads only (the memory engine's record reads the key itself, through its own kv).
    let seqReads = 0;
    const kv = Object.create(real.kv, {
      get: { value: (k: string) => ((seqReads += k === keys.locationSeq('dan') ? 1 : 0), real.kv.get(k)) },
    }) as Engine['kv'];
    const engine = Object.create(real, { kv: { value: kv }, record: { value: real.record.bind(real) } }) as Engine;
    const presence = new Presence(engine, DEFAULT_PRESENCE_OPTIONS);
    const reads = () => seqReads;
    const silent = { friendLocation() {}, friendGone() {}, friendEvent() {}, settingsChanged() {}, fenceEvent() {} };
    await presence.hub.attach('dan', silent);
    for (let seq = 1; seq <= 5; seq++) expect((await presence.acceptLocation('dan', fix(seq))).live).toBe(true);
    expect(reads()).toBe(1);
    expect((await presence.acceptLocation('dan', fix(3))).duplicate).toBe(true); // known without a read
    expect(reads()).toBe(1);
    // Away, and meanwhile another gateway accepted seq 9 (its record stored it).
    await presence.hub.detach('dan', silent);
    const other = new Presence(real, DEFAULT_PRESENCE_OPTIONS);
    await other.acceptLocation('dan', fix(9));
    await presence.hub.attach('dan', silent);
    expect((await presence.acceptLocation('dan', fix(8))).duplicate).toBe(true); // read again: 9 is known
    expect(reads()).toBe(2);
    expect((await presence.acceptLocation('dan', fix(10))).live).toBe(true);
    expect(reads()).toBe(2);
    await presence.hub.detach('dan', silent);
    // Not connected here: read for each update, as before.
    await presence.acceptLocation('dan', fix(11));
    await presence.acceptLocation('dan', fix(12));
    expect(reads()).toBe(4);
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
