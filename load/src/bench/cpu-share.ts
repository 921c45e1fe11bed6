import { readdirSync, readFileSync } from 'node:fs';

/** Nanoseconds run per thread of a process (Linux schedstat), keyed by thread id. */
function threadRun(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      out.set(Number(t), Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'latin1').split(' ')[0]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Milliseconds every core of the machine was busy (not idle or waiting for I/O), from /proc/stat. */
function machineBusyMs(): number {
  try {
    const f = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: jiffies of 10 ms
    return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) * 10;
  } catch {
    return 0;
  }
}

interface Snapshot {
  procs: Map<number, number>[];
  busy: number;
}

/**
 * Who used the cores while something was measured: per process (its main thread, and its other
 * threads: GC and compiler helpers, libuv's pool), and the machine in all, so that "the gateway
 * waited for a core" can be traced to what ran instead (the benchmark's own process, its GC, or
 * something else on the host). Linux only; zeros elsewhere.
 */
export class CpuShare {
  private start: Snapshot | null = null;
  private markedAt = 0;
  /** Snapshots taken since mark (sample), with when they were taken. */
  private readonly samples: { at: number; snap: Snapshot }[] = [];

  constructor(private readonly pids: readonly number[]) {}

  mark(): void {
    this.markedAt = performance.now();
    this.start = this.snapshot();
    this.samples.length = 0;
  }

  /** Note the counters now (a few hundred µs of this process's time: call every few tens of ms at most). */
  sample(): void {
    this.samples.push({ at: performance.now(), snap: this.snapshot() });
  }

  /** From mark() to the first sample at or after `t` (or now): per process [main ms, other threads ms], the machine's busy ms, and the ms it covers. */
  until(t: number): { procs: [number, number][]; busy: number; ms: number } {
    const hit = this.samples.find((x) => x.at >= t);
    const snap = hit?.snap ?? this.snapshot();
    return { ...this.between(this.start, snap), ms: (hit?.at ?? performance.now()) - this.markedAt };
  }

  private snapshot(): Snapshot {
    return { procs: this.pids.map(threadRun), busy: machineBusyMs() };
  }

  private between(s: Snapshot | null, e: Snapshot): { procs: [number, number][]; busy: number } {
    const procs = this.pids.map((pid, i): [number, number] => {
      const now = e.procs[i]!;
      const before = s?.procs[i] ?? new Map<number, number>();
      let main = 0;
      let other = 0;
      for (const [tid, ns] of now) {
        const d = (ns - (before.get(tid) ?? 0)) / 1e6;
        if (tid === pid) main += d;
        else other += d;
      }
      return [main, other];
    });
    return { procs, busy: e.busy - (s?.busy ?? 0) };
  }
}
