import { describe, expect, it } from 'vitest';
import { TurnQueue } from './turn-queue.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TurnQueue', () => {
  it('runs nothing during the turn, then everything in queue order, once', async () => {
    const ran: string[] = [];
    const q = new TurnQueue<string, number>((a, b) => ran.push(`${a}${b}`), () => {});
    q.push('a', 1);
    q.push('b', 2);
    q.push('a', 3);
    await Promise.resolve();
    expect(ran).toEqual([]);
    expect(q.size).toBe(3);
    await turn();
    expect(ran).toEqual(['a1', 'b2', 'a3']);
    expect(q.size).toBe(0);
    await turn();
    expect(ran).toHaveLength(3);
  });

  it('what an item queues while running runs in the same flush; the next turn starts afresh', async () => {
    const ran: number[] = [];
    const q: TurnQueue<number, null> = new TurnQueue((n) => {
      ran.push(n);
      if (n < 3) q.push(n + 1, null);
    }, () => {});
    q.push(0, null);
    await turn();
    expect(ran).toEqual([0, 1, 2, 3]);
    q.push(10, null);
    await turn();
    expect(ran).toEqual([0, 1, 2, 3, 10]);
  });

  it('an item that throws is reported; the others still run and nothing stays queued', async () => {
    const ran: number[] = [];
    const errors: unknown[] = [];
    const q = new TurnQueue<number, null>((n) => {
      if (n === 2) throw new Error('boom');
      ran.push(n);
    }, (err) => errors.push(err));
    for (let i = 1; i <= 4; i++) q.push(i, null);
    await turn();
    expect(ran).toEqual([1, 3, 4]);
    expect(errors).toHaveLength(1);
    expect(q.size).toBe(0);
  });
});
