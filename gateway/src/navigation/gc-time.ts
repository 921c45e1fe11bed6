import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

/** Milliseconds of GC pauses seen so far: [scavenges, mark-compacts, incremental marking and the rest]. */
export type GcTimes = [number, number, number];

const sums: GcTimes = [0, 0, 0];
let observer: PerformanceObserver | null = null;

/**
 * This process's garbage-collection pause time so far, by kind. For the log line of a slow traffic
 * answer: the same closure took 110 or 300 ms with its main thread running throughout, and whether
 * GC made the difference is what this tells. The observer starts on the first call, and entries
 * arrive after the pause (between event-loop turns): a pause in the last slice of a burst may be
 * missed.
 */
export function gcTimes(): GcTimes {
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        sums[kind === constants.NODE_PERFORMANCE_GC_MINOR ? 0 : kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 1 : 2] += e.duration;
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  return [sums[0], sums[1], sums[2]];
}
