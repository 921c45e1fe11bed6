import { readFileSync } from 'node:fs';

/** Nanoseconds this thread has run on a CPU, and waited runnable for one: [run, wait]. */
export type ThreadTimes = [number, number];

/**
 * This thread's scheduler times, from /proc/thread-self/schedstat (Linux); [0, 0] where there is
 * none. For the log line of a slow traffic answer: on a machine whose cores are busy (a 2-core host
 * with the clients beside the gateway, V8's GC threads), the same closure took 100 or 450 ms, and
 * whether the main thread was running or waiting for a core is what tells the two cases apart.
 */
export function threadTimes(): ThreadTimes {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    const r = Number(run);
    const w = Number(wait);
    return Number.isFinite(r) && Number.isFinite(w) ? [r, w] : [0, 0];
  } catch {
    return [0, 0];
  }
}
