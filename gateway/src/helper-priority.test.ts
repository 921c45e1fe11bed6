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
