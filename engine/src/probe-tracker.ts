import { randomBytes } from 'node:crypto';
import { EngineError } from './errors.js';

interface PendingProbe {
  start: number;
  resolve: (rttMs: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ProbeRequest {
  /** Bytes to publish on the private probe channel. */
  payload: Uint8Array;
  /** Resolves with the round trip in ms when `settle` sees the payload; rejects on timeout. */
  result: Promise<number>;
  /** Fails this probe early (e.g. the publish itself failed). */
  fail(err: Error): void;
}

/**
 * Bookkeeping for readiness probes, shared by the engines: each probe publishes a unique token and
 * waits for that exact token to come back through the subscriber path. Tokens carry a random
 * instance id so a probe can never be satisfied by another process's (or engine's) probe.
 */
export class ProbeTracker {
  private readonly instance = randomBytes(6).toString('hex');
  private seq = 0;
  private readonly pending = new Map<string, PendingProbe>();

  begin(timeoutMs: number): ProbeRequest {
    const token = `${this.instance}:${++this.seq}`;
    let fail!: (err: Error) => void;
    const result = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new EngineError('ENGINE_TIMEOUT', `probe did not come back within ${timeoutMs} ms`));
      }, timeoutMs);
      // A probe must not keep a process alive that is otherwise done.
      timer.unref();
      this.pending.set(token, { start: performance.now(), resolve, reject, timer });
      fail = (err) => this.settleWith(token, err);
    });
    return { payload: Buffer.from(token, 'latin1'), result, fail };
  }

  /** Called with every payload received on the probe channel; unknown tokens are ignored. */
  settle(payload: Uint8Array): void {
    const token = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
    this.settleWith(token, null);
  }

  rejectAll(err: Error): void {
    for (const token of [...this.pending.keys()]) this.settleWith(token, err);
  }

  private settleWith(token: string, err: Error | null): void {
    const p = this.pending.get(token);
    if (p === undefined) return;
    this.pending.delete(token);
    clearTimeout(p.timer);
    if (err === null) p.resolve(performance.now() - p.start);
    else p.reject(err);
  }
}
