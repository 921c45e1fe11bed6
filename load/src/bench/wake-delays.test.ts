import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WakeDelayMeter } from './wake-delays.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a delay the meter must see
  }
}

describe('WakeDelayMeter', () => {
  it('counts a turn held up past the threshold, with its length', async () => {
    const meter = new WakeDelayMeter(5, 2);
    meter.start();
    await sleep(10);
    block(40);
    await sleep(10);
    const s = meter.stop();
    expect(s.count).toBeGreaterThanOrEqual(1);
    expect(s.maxMs).toBeGreaterThanOrEqual(35);
    expect(s.totalMs).toBeGreaterThanOrEqual(35);
  });

  it('starts from zero each time, and stop without start reports nothing', async () => {
    const meter = new WakeDelayMeter(5, 2);
    expect(meter.stop()).toEqual({ count: 0, maxMs: 0, totalMs: 0 });
    meter.start();
    block(30);
    await sleep(5);
    expect(meter.stop().count).toBeGreaterThanOrEqual(1);
    meter.start();
    const s = meter.stop();
    expect(s.count).toBe(0);
    expect(s.totalMs).toBe(0);
  });
});

describe('wake-delay-probe (the process the bench asks)', () => {
  it('answers start and stop with what its meter saw, and exits when told', async () => {
    const child = fork(fileURLToPath(new URL('./wake-delay-probe.ts', import.meta.url)), ['5'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const next = (): Promise<unknown> => new Promise((resolve) => child.once('message', resolve));
    expect(await next()).toEqual({ kind: 'ready' });
    child.send({ kind: 'start' });
    await sleep(50);
    const answer = next();
    child.send({ kind: 'stop' });
    const d = (await answer) as { count: number; maxMs: number; totalMs: number };
    expect(d.count).toBeGreaterThanOrEqual(0);
    expect(d.maxMs).toBeGreaterThanOrEqual(0);
    expect(typeof d.totalMs).toBe('number');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.send({ kind: 'exit' });
    expect(await exited).toBe(0);
  });
});
