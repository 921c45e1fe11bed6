import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HelperThreadPriority } from './helper-priority.js';

const MODULE = fileURLToPath(new URL('./helper-priority.ts', import.meta.url));

describe('HelperThreadPriority', () => {
  it('lowers every thread but the main one, once each (in a process of its own)', () => {
    if (!existsSync('/proc/self/task')) return;
    // Niceness cannot be raised back without privileges: a child process, not the test runner.
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      const { HelperThreadPriority } = await import(${JSON.stringify(MODULE)});
      const p = new HelperThreadPriority(7);
      const first = p.apply();
      const again = p.apply();
      const nice = (t) => Number(readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
      const threads = readdirSync('/proc/self/task').map((t) => [Number(t) === process.pid, nice(t)]);
      console.log(JSON.stringify({ first, again, threads }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { first, again, threads } = JSON.parse(out.trim().split('\n').pop()!) as { first: number; again: number; threads: [boolean, number][] };
    expect(first).toBeGreaterThan(0); // V8's platform threads at least
    expect(again).toBe(0);
    for (const [main, nice] of threads) expect(nice).toBe(main ? 0 : 7);
  });

  it('started, scavenges are the main thread\'s own work: one task each (in a process of its own)', () => {
    // V8 prints a line per task of a scavenge (--trace-parallel-scavenge) and one per scavenge (--trace-gc).
    const script = (nice: number) => `
      const { HelperThreadPriority } = await import(${JSON.stringify(MODULE)});
      const p = new HelperThreadPriority(${nice});
      p.start();
      p.stop();
      console.log('STARTED');
      let keep = [];
      for (let i = 0; i < 400000; i++) { keep.push({ a: i, b: [i] }); if (keep.length > 50000) keep = []; }`;
    const run = (nice: number) => {
      const out = execFileSync(process.execPath, ['--trace-parallel-scavenge', '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script(nice)], { encoding: 'utf8' });
      // Only what the main isolate did after start() (the tsx loader's thread collects too).
      const after = out.slice(out.indexOf('STARTED')).split('\n');
      const isolate = /^\[\d+:0x[0-9a-f]+\]/.exec(after.find((l) => / Scavenge /.test(l)) ?? '')?.[0] ?? '';
      const lines = after.filter((l) => l.startsWith(isolate));
      return { tasks: lines.filter((l) => / scavenge\[/.test(l)).length, scavenges: lines.filter((l) => / Scavenge /.test(l)).length };
    };
    const started = run(5);
    expect(started.scavenges).toBeGreaterThan(3);
    expect(started.tasks).toBe(started.scavenges);
    // Not started (nice 0): V8's default, where a host with more than one core shares each scavenge.
    const off = run(0);
    expect(off.scavenges).toBeGreaterThan(3);
    expect(off.tasks).toBeGreaterThanOrEqual(off.scavenges);
  });

  it('does nothing at nice 0, without /proc, or for threads that are gone', () => {
    expect(new HelperThreadPriority(0).apply()).toBe(0);
    expect(new HelperThreadPriority(5, process.pid, '/nonexistent/task').apply()).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'locus-task-'));
    try {
      mkdirSync(join(dir, '999999999')); // no such thread
      mkdirSync(join(dir, String(process.pid))); // the main one: never touched
      expect(new HelperThreadPriority(5, process.pid, dir).apply()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
