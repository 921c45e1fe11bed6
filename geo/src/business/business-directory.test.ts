import { MemoryEngine } from '@locus/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusinessInput } from './business.js';
import { BusinessDirectory } from './business-directory.js';
import { BusinessStore } from './business-store.js';

const MONACO = { lat: 43.7384, lng: 7.4246 };
const cafe = (name: string, dLat: number, extra: Partial<BusinessInput> = {}): BusinessInput => ({
  name,
  lat: MONACO.lat + dLat,
  lng: MONACO.lng,
  category: 'cafe',
  ...extra,
});

describe('BusinessDirectory', () => {
  const engines: MemoryEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  const setup = async () => {
    const engine = new MemoryEngine();
    engines.push(engine);
    await engine.connect();
    const store = new BusinessStore(engine);
    return { engine, store };
  };

  it('loads what the store holds at start and follows later writes from any writer', async () => {
    const { engine, store } = await setup();
    const a = await store.create(cafe('A', 0.001));
    const dir = new BusinessDirectory(engine, store, 'geohash');
    await dir.start();
    expect((await dir.search({ ...MONACO, radius: 1000, limit: 10 })).results.map((r) => r.business.name)).toEqual(['A']);
    // Another gateway writes: this directory follows through the change channel.
    await store.create(cafe('B', 0.0005));
    await expect.poll(async () => (await dir.search({ ...MONACO, radius: 1000, limit: 10 })).results.map((r) => r.business.name)).toEqual(['B', 'A']);
    await store.delete(a.id);
    await expect.poll(async () => (await dir.search({ ...MONACO, radius: 1000, limit: 10 })).results.map((r) => r.business.name)).toEqual(['B']);
    await dir.stop();
  });

  it('serves records from the cell cache and invalidates the cell on writes', async () => {
    const { engine, store } = await setup();
    const a = await store.create(cafe('A', 0.0001));
    const dir = new BusinessDirectory(engine, store, 's2');
    await dir.start();
    await dir.search({ ...MONACO, radius: 500, limit: 5 });
    expect([dir.cache.misses, dir.cache.hits]).toEqual([1, 0]);
    await dir.search({ ...MONACO, radius: 500, limit: 5 });
    expect([dir.cache.misses, dir.cache.hits]).toEqual([1, 1]);
    const renamed = await store.replace(a.id, cafe('A2', 0.0001));
    dir.apply(a.id, renamed, renamed.version);
    const r = await dir.search({ ...MONACO, radius: 500, limit: 5 });
    expect(r.results[0]!.business.name).toBe('A2');
    expect(dir.cache.misses).toBe(2);
    await dir.stop();
  });

  it('filters by category and open_now, and pages with a cursor bound to its query', async () => {
    const { engine, store } = await setup();
    const hours = { tz: 'UTC', week: { mon: [{ open: '09:00', close: '17:00' }] } };
    for (let i = 0; i < 7; i++) await store.create(cafe(`C${i}`, 0.0001 * (i + 1), i % 2 === 0 ? { hours } : {}));
    await store.create({ name: 'Bar', lat: MONACO.lat, lng: MONACO.lng, category: 'bar' });
    const dir = new BusinessDirectory(engine, store, 'geohash');
    await dir.start();
    expect((await dir.search({ ...MONACO, radius: 5000, limit: 50, category: 'bar' })).results.map((r) => r.business.name)).toEqual(['Bar']);
    expect((await dir.search({ ...MONACO, radius: 5000, limit: 50, category: 'bakery' })).results).toEqual([]);
    const monday10 = Date.parse('2026-11-23T10:00:00Z');
    const open = await dir.search({ ...MONACO, radius: 5000, limit: 50, category: 'cafe', openNow: true, now: monday10 });
    expect(open.results.map((r) => r.business.name)).toEqual(['C0', 'C2', 'C4', 'C6']);
    const first = await dir.search({ ...MONACO, radius: 5000, limit: 3, category: 'cafe' });
    expect(first.results.map((r) => r.business.name)).toEqual(['C0', 'C1', 'C2']);
    const second = await dir.search({ ...MONACO, radius: 5000, limit: 3, category: 'cafe', cursor: first.next! });
    expect(second.results.map((r) => r.business.name)).toEqual(['C3', 'C4', 'C5']);
    const third = await dir.search({ ...MONACO, radius: 5000, limit: 3, category: 'cafe', cursor: second.next! });
    expect(third.results.map((r) => r.business.name)).toEqual(['C6']);
    expect(third.next).toBeUndefined();
    await expect(dir.search({ ...MONACO, radius: 100, limit: 3, category: 'cafe', cursor: first.next! })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(dir.search({ ...MONACO, radius: 100, limit: 3, cursor: 'garbage' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await dir.stop();
  });

  it('store: 409 on duplicate ids and stale If-Match, 404 on missing', async () => {
    const { store } = await setup();
    const b = await store.create(cafe('X', 0), 'fixed-id');
    await expect(store.create(cafe('Y', 0), 'fixed-id')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(store.replace('fixed-id', cafe('Z', 0), b.version + 12345)).rejects.toMatchObject({ code: 'CONFLICT' });
    const z = await store.replace('fixed-id', cafe('Z', 0), b.version);
    expect(z.version).toBeGreaterThan(b.version);
    await expect(store.replace('nope', cafe('Z', 0))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.delete('fixed-id');
    await expect(store.delete('fixed-id')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
