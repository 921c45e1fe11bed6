import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesceWrites } from './write-coalescing.js';

/** What coalesceWrites sees of ioredis: a client emitting `connect` with its socket as `stream`. */
function fakeClient(): { client: Redis & EventEmitter; writes: string[][]; connect(): Writable } {
  const emitter = new EventEmitter() as EventEmitter & { stream?: Writable };
  const writes: string[][] = [];
  return {
    client: emitter as unknown as Redis & EventEmitter,
    writes,
    connect() {
      // Each call to the socket's own write(v) is one syscall in a real socket.
      const stream = new Writable({
        write(chunk: Buffer, _enc, cb) {
          writes.push([chunk.toString()]);
          cb();
        },
        writev(chunks, cb) {
          writes.push(chunks.map((c) => (c.chunk as Buffer).toString()));
          cb();
        },
      });
      emitter.stream = stream;
      emitter.emit('connect');
      return stream;
    },
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('coalesceWrites', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends what one turn of the event loop wrote as one write, in order', async () => {
    const f = fakeClient();
    coalesceWrites(f.client, 0);
    const s = f.connect();
    for (let i = 0; i < 50; i++) s.write(`cmd${i}`);
    expect(f.writes).toEqual([]);
    await turn();
    expect(f.writes).toEqual([Array.from({ length: 50 }, (_, i) => `cmd${i}`)]);
    s.write('next');
    await turn();
    expect(f.writes[1]).toEqual(['next']);
  });

  it('with a window, a write soon after a flush waits for the window; a quiet connection does not wait', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const f = fakeClient();
    coalesceWrites(f.client, 5);
    const s = f.connect();
    s.write('a');
    await turn();
    expect(f.writes).toEqual([['a']]); // the first write of a quiet connection: this turn
    s.write('b');
    await turn();
    s.write('c');
    expect(f.writes).toHaveLength(1); // held: the last flush was < 5 ms ago
    vi.advanceTimersByTime(5);
    expect(f.writes).toEqual([['a'], ['b', 'c']]);
    vi.advanceTimersByTime(50);
    s.write('d');
    await turn();
    expect(f.writes).toEqual([['a'], ['b', 'c'], ['d']]); // quiet again: no delay
  });

  it('patches every new socket once (ioredis makes one per reconnect), and a destroyed one is left alone', async () => {
    const f = fakeClient();
    coalesceWrites(f.client, 0);
    const first = f.connect();
    f.client.emit('connect'); // the same socket again: not wrapped twice
    first.write('x');
    first.destroy();
    await turn();
    const second = f.connect();
    second.write('y');
    second.write('z');
    await turn();
    expect(f.writes).toEqual([['y', 'z']]);
  });
});
