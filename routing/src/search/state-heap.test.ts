import { describe, expect, it } from 'vitest';
import { Rng } from '../synthetic/rng.js';
import { StateHeap } from './state-heap.js';

describe('StateHeap', () => {
  it('pops in key order with each id and node, growing as needed, Infinity when empty', () => {
    const h = new StateHeap(4);
    expect(h.topKey()).toBe(Infinity);
    const rng = new Rng(1);
    const keys = Array.from({ length: 5000 }, () => Math.floor(rng.next() * 1000) / 10);
    keys.forEach((k, i) => h.push(k, i, i + 7));
    const out: number[] = [];
    while (h.size > 0) {
      const k = h.topKey();
      const id = h.pop();
      expect(keys[id]).toBe(k);
      expect(h.node).toBe(id + 7);
      out.push(k);
    }
    expect(out).toEqual([...keys].sort((a, b) => a - b));
    expect(h.topKey()).toBe(Infinity);
    h.push(3, 1, 2);
    h.clear();
    expect(h.topKey()).toBe(Infinity);
    expect(h.size).toBe(0);
  });
});
