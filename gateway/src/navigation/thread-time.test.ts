import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadTimes } from './thread-time.js';

describe('threadTimes', () => {
  it('reads this thread’s run time, which grows with work (zeros where the kernel does not say)', () => {
    const [run0, wait0] = threadTimes();
    expect(run0).toBeGreaterThanOrEqual(0);
    expect(wait0).toBeGreaterThanOrEqual(0);
    if (!existsSync('/proc/thread-self/schedstat')) return;
    let x = 0;
    for (let i = 0; i < 5e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const [run1] = threadTimes();
    expect(run1).toBeGreaterThan(run0);
  });
});
