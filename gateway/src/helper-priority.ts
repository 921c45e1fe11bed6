import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** How often threads started since are looked for (libuv's pool starts on first use). */
const RECHECK_MS = 10_000;

/**
 * Runs this process's threads other than the main one — V8's garbage-collection and compiler
 * helpers, libuv's pool — at a lower scheduling priority (a higher nice value), so that where the
 * cores are busy the event loop gets one first. Linux only (/proc/self/task); elsewhere it does nothing.
 *
 * Why: in bench:reroute on a 2-core host, the slowest closure answers were not slower work but the
 * main thread waiting for a core (100–150 ms of a 300 ms answer, by its scheduler times), while the
 * gateway's own helper threads marked the heap beside it. With the helpers at nice 19 the waits in
 * the measured closures stayed under ~55 ms. The helpers still get every idle cycle; V8 finishes a
 * marking on the main thread when its helpers fall behind. LOCUS_HELPER_NICE=0 turns this off.
 */
export class HelperThreadPriority {
  private readonly done = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly nice: number,
    private readonly mainTid = process.pid,
    private readonly taskDir = '/proc/self/task',
  ) {}

  /** Lower the priority of helper threads not lowered yet; returns how many were. */
  apply(): number {
    if (this.nice <= 0) return 0;
    let tids: string[];
    try {
      tids = readdirSync(this.taskDir);
    } catch {
      return 0; // not Linux
    }
    let n = 0;
    for (const t of tids) {
      const tid = Number(t);
      if (!Number.isInteger(tid) || tid === this.mainTid || this.done.has(tid)) continue;
      try {
        setPriority(tid, this.nice);
        this.done.add(tid);
        n++;
      } catch {
        // the thread ended meanwhile, or the host forbids it: leave it
      }
    }
    return n;
  }

  start(): void {
    if (this.nice <= 0) return;
    this.apply();
    this.timer = setInterval(() => this.apply(), RECHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
