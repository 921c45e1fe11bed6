import type { Redis } from 'ioredis';

interface Corkable {
  write: (...args: never[]) => boolean;
  cork(): void;
  uncork(): void;
  destroyed: boolean;
}

const PATCHED = Symbol('locus.coalescedWrites');

/**
 * Make a Redis connection send the commands issued close together as one write.
 *
 * Why: ioredis's auto-pipelining batches the commands of one event-loop turn (setImmediate). A
 * gateway under steady load handles one or two messages per turn, so that was still about one write
 * per location update: a syscall, and a wake-up of Redis, each. In `bench:peers` the command writes
 * were the largest item of the gateway's CPU profile once friend updates went out through uWS topics
 * (BENCHMARKS.md, issue 7).
 *
 * The socket is corked at the first write and uncorked in setImmediate, after the turn's I/O
 * callbacks, so Node hands everything written meanwhile to the kernel in one writev. When the
 * previous flush was less than `windowMs` ago, the flush waits until `windowMs` after it (as Nagle's
 * algorithm does): a busy gateway then writes at most once per window, while a quiet one adds no
 * delay at all. Replies and their order are unchanged (one connection, commands in the order issued).
 *
 * Applied on each `connect`, because ioredis makes a new socket for every reconnect.
 */
export function coalesceWrites(client: Redis, windowMs: number): void {
  client.on('connect', () => {
    const stream = (client as unknown as { stream?: Corkable & { [PATCHED]?: true } }).stream;
    if (!stream || stream[PATCHED]) return;
    stream[PATCHED] = true;
    const write = stream.write;
    let corked = false;
    let flushedAt = -Infinity;
    const uncork = (): void => {
      corked = false;
      flushedAt = performance.now();
      if (!stream.destroyed) stream.uncork();
    };
    stream.write = function (this: Corkable, ...args: never[]): boolean {
      if (!corked) {
        corked = true;
        stream.cork();
        const wait = flushedAt + windowMs - performance.now();
        if (wait <= 0) setImmediate(uncork);
        else setTimeout(uncork, wait);
      }
      return write.apply(this, args);
    };
  });
}
