import type { Redis } from 'ioredis';

interface WritableSocket {
  _write: (...args: unknown[]) => unknown;
  _writev?: (...args: unknown[]) => unknown;
}

/** Counts the writes (write or writev: one syscall each) a connected ioredis client's socket makes from now on. */
export function countSocketWrites(client: Redis): () => number {
  const stream = (client as unknown as { stream: WritableSocket }).stream;
  let writes = 0;
  const write = stream._write;
  stream._write = function (this: unknown, ...args: unknown[]) {
    writes++;
    return write.apply(this, args);
  };
  const writev = stream._writev;
  if (writev) {
    stream._writev = function (this: unknown, ...args: unknown[]) {
      writes++;
      return writev.apply(this, args);
    };
  }
  return () => writes;
}

/**
 * Issues `n` commands one event-loop turn apart, as a gateway under steady load does (one message,
 * one update, per turn): ioredis's auto-pipelining, which batches one turn's commands, writes each
 * on its own then.
 */
export async function issueTurnByTurn<T>(n: number, issue: (i: number) => Promise<T>): Promise<T[]> {
  const pending: Promise<T>[] = [];
  for (let i = 0; i < n; i++) {
    pending.push(issue(i));
    await new Promise<void>((r) => setImmediate(r));
  }
  return Promise.all(pending);
}
