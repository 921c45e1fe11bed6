import { describe, expect, it } from 'vitest';
import type { NavSession } from './nav-session.js';
import { SessionQueue } from './session-queue.js';

const s = (n: number) => ({ urgency: n }) as unknown as NavSession;

describe('SessionQueue', () => {
  it('works through its sessions in order, stops when told and goes on later, and sorts the newest batch', () => {
    const q = new SessionQueue();
    for (const n of [5, 1, 7]) q.push(s(n));
    q.sortTail(2, (a, b) => a.urgency - b.urgency); // only 1 and 7, the last two
    const seen: number[] = [];
    let budget = 2;
    expect(q.drain((x) => seen.push(x.urgency), () => budget-- <= 0)).toBe(false);
    expect(seen).toEqual([5, 1]);
    expect(q.size).toBe(1);
    q.push(s(3)); // queued while part-way through
    expect(q.drain((x) => seen.push(x.urgency))).toBe(true);
    expect(seen).toEqual([5, 1, 7, 3]);
    expect(q.size).toBe(0);
  });
});
