import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('counts hits and misses, including cached nulls as hits', () => {
    const c = new LruCache<string, number | null>(4);
    expect(c.get('a')).toBeUndefined();
    c.set('a', 1);
    c.set('empty', null);
    expect(c.get('a')).toBe(1);
    expect(c.get('empty')).toBeNull();
    expect({ hits: c.hits, misses: c.misses }).toEqual({ hits: 2, misses: 1 });
  });

  it('evicts the least recently used entry past capacity', () => {
    const c = new LruCache<number, number>(2);
    c.set(1, 1);
    c.set(2, 2);
    c.get(1); // 2 is now the oldest
    c.set(3, 3);
    expect(c.size).toBe(2);
    expect(c.evictions).toBe(1);
    expect(c.get(2)).toBeUndefined();
    expect(c.get(1)).toBe(1);
    expect(c.get(3)).toBe(3);
  });

  it('re-setting a key refreshes it without growing', () => {
    const c = new LruCache<number, number>(2);
    c.set(1, 1);
    c.set(2, 2);
    c.set(1, 10);
    c.set(3, 3);
    expect(c.get(1)).toBe(10);
    expect(c.get(2)).toBeUndefined();
  });

  it('refuses a useless capacity', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });
});
