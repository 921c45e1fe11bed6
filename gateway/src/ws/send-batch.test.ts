import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SendBatch, type FrameTarget } from './send-batch.js';

/** A target that records what it was sent (bytes copied: the batch's buffer is reused). */
class Recorder implements FrameTarget {
  constructor(
    readonly name: string,
    readonly log: [string, Uint8Array | string][],
  ) {}
  sendFrame(data: Uint8Array | string): void {
    this.log.push([this.name, typeof data === 'string' ? data : data.slice()]);
  }
}

describe('SendBatch', () => {
  it('holds frames until the outermost release, then sends them in order; copies the bytes it is given', () => {
    const log: [string, Uint8Array | string][] = [];
    const a = new Recorder('a', log);
    const b = new Recorder('b', log);
    const batch = new SendBatch();
    expect(batch.holding).toBe(false);
    batch.hold();
    batch.hold();
    const bytes = Uint8Array.of(1, 2, 3);
    batch.add(a, bytes);
    bytes.fill(9); // the encoder's buffer, overwritten by the next message
    batch.add(b, '{"t":"x"}');
    batch.add(a, Uint8Array.of(4));
    batch.release();
    expect(log).toEqual([]);
    expect(batch.size).toBe(3);
    batch.release();
    expect(batch.holding).toBe(false);
    expect(log).toEqual([
      ['a', Uint8Array.of(1, 2, 3)],
      ['b', '{"t":"x"}'],
      ['a', Uint8Array.of(4)],
    ]);
    expect(batch.size).toBe(0);
    // A release too many is harmless.
    batch.release();
    expect(batch.holding).toBe(false);
  });

  it('flush sends what is held so far and keeps holding', () => {
    const log: [string, Uint8Array | string][] = [];
    const a = new Recorder('a', log);
    const batch = new SendBatch();
    batch.hold();
    batch.add(a, Uint8Array.of(1));
    batch.flush();
    expect(log).toEqual([['a', Uint8Array.of(1)]]);
    expect(batch.holding).toBe(true);
    batch.add(a, Uint8Array.of(2));
    batch.release();
    expect(log).toEqual([
      ['a', Uint8Array.of(1)],
      ['a', Uint8Array.of(2)],
    ]);
  });

  it('grows past its first buffer (a closure answers a thousand cars with 3 KB each)', () => {
    const log: [string, Uint8Array | string][] = [];
    const a = new Recorder('a', log);
    const batch = new SendBatch();
    batch.hold();
    for (let i = 0; i < 1_000; i++) batch.add(a, new Uint8Array(3_000).fill(i & 0xff));
    batch.release();
    expect(log).toHaveLength(1_000);
    log.forEach(([, data], i) => {
      expect((data as Uint8Array).length).toBe(3_000);
      expect((data as Uint8Array).every((x) => x === (i & 0xff))).toBe(true);
    });
  });

  it('sends a frame added while it flushes (a write that closed a connection, and what that sent)', () => {
    const log: [string, Uint8Array | string][] = [];
    const batch = new SendBatch();
    const b = new Recorder('b', log);
    const a: FrameTarget = {
      sendFrame(data) {
        log.push(['a', typeof data === 'string' ? data : data.slice()]);
        if (log.length === 1) batch.add(b, new Uint8Array(300_000).fill(5)); // grows the buffer mid-flush
      },
    };
    batch.hold();
    batch.add(a, Uint8Array.of(1));
    batch.add(a, Uint8Array.of(2));
    batch.release();
    expect(log.map(([n, d]) => [n, (d as Uint8Array).length, (d as Uint8Array)[0]])).toEqual([
      ['a', 1, 1],
      ['a', 1, 2],
      ['b', 300_000, 5],
    ]);
  });

  it('property: whatever frames are added, each target gets them unchanged and in order', () => {
    const frame = fc.oneof(fc.uint8Array({ maxLength: 70_000 }), fc.string({ maxLength: 50 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), frame, fc.boolean()), { maxLength: 40 }), (adds) => {
        const log: [string, Uint8Array | string][] = [];
        const targets = [0, 1, 2, 3].map((k) => new Recorder(String(k), log));
        const batch = new SendBatch();
        const expected: [string, Uint8Array | string][] = [];
        batch.hold();
        for (const [k, data, flushAfter] of adds) {
          batch.add(targets[k]!, data);
          expected.push([String(k), typeof data === 'string' ? data : data.slice()]);
          if (flushAfter) batch.flush();
        }
        batch.release();
        expect(log).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
