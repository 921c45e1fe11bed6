import { describe, expect, it } from 'vitest';
import { NodeCoords } from './node-coords.js';

describe('NodeCoords', () => {
  it('finds nodes added in id order, growing past its first capacity', () => {
    const c = new NodeCoords();
    for (let i = 0; i < 10_000; i++) c.add(100 + 3 * i, i, -i);
    expect(c.size).toBe(10_000);
    const s = c.find(100 + 3 * 7777);
    expect(c.lat(s)).toBe(7777);
    expect(c.lng(s)).toBe(-7777);
    expect(c.id(s)).toBe(100 + 3 * 7777);
    expect(c.find(101)).toBe(-1);
    expect(c.find(99)).toBe(-1);
    expect(c.find(1e12)).toBe(-1);
  });

  it('sorts unsorted input on seal(), and refuses lookups before it', () => {
    const c = new NodeCoords();
    c.add(30, 3, 3);
    c.add(10, 1, 1);
    c.add(20, 2, 2);
    expect(() => c.find(10)).toThrow(/seal/);
    c.seal();
    for (const id of [10, 20, 30]) expect(c.lat(c.find(id))).toBe(id / 10);
  });

  it('handles OSM ids above 2^32 (they exist since 2021)', () => {
    const c = new NodeCoords();
    c.add(4_294_967_296 + 5, 1, 2);
    c.add(8_000_000_000, 3, 4);
    expect(c.lat(c.find(8_000_000_000))).toBe(3);
  });
});
