/**
 * How late the timers of an idle process fire: how long a process that wakes up waits for a core.
 * Run in a process that does nothing else (wake-delay-probe.ts), its lateness is what the machine
 * does to any process that wakes, the load workers stamping arrivals included: the stalls of the
 * virtual machine and the contention for its cores, the stack under test's own processes (its
 * server, Redis) among them. Printed beside each phase's latency: on a small machine it moves a
 * low rate's p99 from one repetition to the next (BENCHMARKS.md, session 22).
 */
export interface WakeDelays {
  /** Wake-ups at least the threshold late. */
  count: number;
  /** The latest wake-up, in ms past its due time. */
  maxMs: number;
  /** Sum of the lateness of the counted wake-ups, in ms. */
  totalMs: number;
}

export class WakeDelayMeter {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private readonly delays: WakeDelays = { count: 0, maxMs: 0, totalMs: 0 };

  constructor(
    private readonly thresholdMs = 5,
    private readonly periodMs = 2,
  ) {}

  start(): void {
    this.stop();
    this.delays.count = 0;
    this.delays.maxMs = 0;
    this.delays.totalMs = 0;
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), this.periodMs);
  }

  /** Stops the meter and returns what it saw since start (a copy). */
  stop(): WakeDelays {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.tick();
    }
    return { ...this.delays };
  }

  private tick(): void {
    const now = performance.now();
    const late = now - this.last - this.periodMs;
    this.last = now;
    if (late > this.delays.maxMs) this.delays.maxMs = late;
    if (late >= this.thresholdMs) {
      this.delays.count++;
      this.delays.totalMs += late;
    }
  }
}
