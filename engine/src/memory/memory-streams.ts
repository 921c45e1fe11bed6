import { checkAppendOptions, checkRangeArguments } from '../arguments.js';
import type { OpenGate } from '../open-gate.js';
import { requireStreamId } from '../stream-id.js';
import type { StreamAppendOptions, StreamEntry, Streams } from '../types.js';
import { WRONGTYPE, type Keyspace, type StreamRecord } from './keyspace.js';
import { StreamLog } from './stream-log.js';

/**
 * Memory is this process's heap, so every stream is bounded even when the caller gives no maxLen:
 * 10 000 entries is hours of history at one update every few seconds.
 */
export const DEFAULT_MEMORY_STREAM_MAX_LEN = 10_000;

/**
 * Streams over the shared keyspace. Trimming is exact here (Redis trims approximately), which is
 * within the contract: "approximately, at append time".
 */
export class MemoryStreams implements Streams {
  constructor(
    private readonly keyspace: Keyspace,
    private readonly gate: OpenGate,
    private readonly defaultMaxLen = DEFAULT_MEMORY_STREAM_MAX_LEN,
  ) {}

  async append(key: string, value: Uint8Array, opts: StreamAppendOptions): Promise<string> {
    this.gate.check();
    checkAppendOptions(opts);
    let record = this.find(key);
    if (record === undefined) {
      record = { kind: 'stream', log: new StreamLog() };
      this.keyspace.set(key, record);
    }
    const now = Date.now();
    return record.log.append(value, now, now - opts.retentionMs, opts.maxLen ?? this.defaultMaxLen);
  }

  async range(key: string, fromMs: number, toMs: number, limit: number, afterId?: string): Promise<StreamEntry[]> {
    this.gate.check();
    checkRangeArguments(fromMs, toMs, limit);
    const after = afterId === undefined ? undefined : requireStreamId(afterId);
    const record = this.find(key);
    if (record === undefined || limit < 1) return [];
    return record.log.range(fromMs, toMs, Math.floor(limit), after);
  }

  private find(key: string): StreamRecord | undefined {
    const record = this.keyspace.get(key);
    if (record === undefined) return undefined;
    if (record.kind !== 'stream') throw new Error(WRONGTYPE);
    return record;
  }
}
