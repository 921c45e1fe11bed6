import { recordTtl } from '../arguments.js';
import { ListenerSet } from '../listener-set.js';
import { OpenGate } from '../open-gate.js';
import { ProbeTracker } from '../probe-tracker.js';
import { SubscriptionTable } from '../subscriptions.js';
import type { Engine, EngineState, RecordWrite } from '../types.js';
import { Keyspace } from './keyspace.js';
import { MemoryBus } from './memory-bus.js';
import { MemoryKV } from './memory-kv.js';
import { MemorySets } from './memory-sets.js';
import { DEFAULT_MEMORY_STREAM_MAX_LEN, MemoryStreams } from './memory-streams.js';

const SEQ_ENCODER = new TextEncoder();
const SEQ_DECODER = new TextDecoder();

export interface MemoryEngineOptions {
  /** How often the expiry sweep runs (default 1000 ms). */
  sweepIntervalMs?: number;
  /** Entries kept per stream when append() gives no maxLen (default 10 000). */
  defaultStreamMaxLen?: number;
}

/** Keys examined per sweep at least; and at least a tenth of the keyspace, so a full pass takes ≤ ~10 ticks. */
const MIN_SWEEP_BUDGET = 1_000;

/** Not a consumer's channel: keys.ts channels all start with "ch:". */
const PROBE_CHANNEL = '__probe';

/**
 * The embedded engine, the default for a single gateway process: the same semantics as Redis (the
 * contract suite runs against both) without any server. State lives in this process only.
 */
export class MemoryEngine implements Engine {
  readonly kind = 'memory' as const;
  readonly bus: MemoryBus;
  readonly kv: MemoryKV;
  readonly sets: MemorySets;
  readonly streams: MemoryStreams;

  private readonly gate = new OpenGate('memory engine');
  private readonly keyspace = new Keyspace();
  private readonly probes = new ProbeTracker();
  private readonly errorListeners = new ListenerSet<Error>();
  private readonly stateListeners = new ListenerSet<EngineState>();
  private current: EngineState = 'connecting';
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(options: MemoryEngineOptions = {}) {
    const table = new SubscriptionTable((err) => this.errorListeners.emit(err));
    const probeChannel = { name: PROBE_CHANNEL, receive: (payload: Uint8Array) => this.probes.settle(payload) };
    this.bus = new MemoryBus(table, this.gate, probeChannel);
    this.kv = new MemoryKV(this.keyspace, this.gate);
    this.sets = new MemorySets(this.keyspace, this.gate);
    this.streams = new MemoryStreams(this.keyspace, this.gate, options.defaultStreamMaxLen ?? DEFAULT_MEMORY_STREAM_MAX_LEN);
    this.sweepTimer = setInterval(() => {
      this.keyspace.sweep(Math.max(MIN_SWEEP_BUDGET, Math.ceil(this.keyspace.size / 10)));
    }, options.sweepIntervalMs ?? 1_000);
    // Housekeeping must never keep a process alive on its own.
    this.sweepTimer.unref();
  }

  async record(w: RecordWrite, value: Uint8Array): Promise<void> {
    // Checked first: as with the Redis script, bad arguments write nothing.
    recordTtl(w);
    // In the order the Redis script writes them; each is an in-memory operation.
    await this.kv.set(w.key, value, w.ttlMs);
    await this.streams.append(w.stream, value, w.streamOptions);
    await this.bus.publish(w.channel, value);
    if (w.seq !== undefined) {
      const held = await this.kv.get(w.seq.key);
      // As the script's tonumber(): a value that is not a number is replaced.
      const stored = held === null ? NaN : Number(SEQ_DECODER.decode(held));
      if (!(stored >= w.seq.value)) await this.kv.set(w.seq.key, SEQ_ENCODER.encode(String(w.seq.value)), w.ttlMs);
    }
  }

  get state(): EngineState {
    return this.current;
  }

  async connect(): Promise<void> {
    this.gate.check();
    this.setState('ready');
  }

  /** Round trip through the bus's queue and drain, i.e. the path real deliveries take. */
  probe(timeoutMs: number): Promise<number> {
    if (this.gate.closed) return this.gate.rejection();
    const request = this.probes.begin(timeoutMs);
    this.bus.publish(PROBE_CHANNEL, request.payload).catch(request.fail);
    return request.result;
  }

  onError(listener: (err: Error) => void): void {
    this.errorListeners.add(listener);
  }

  onState(listener: (state: EngineState) => void): void {
    this.stateListeners.add(listener);
  }

  async close(): Promise<void> {
    if (!this.gate.close()) return;
    clearInterval(this.sweepTimer);
    this.probes.rejectAll(this.gate.error());
    this.bus.clear();
    this.keyspace.clear();
    this.setState('closed');
  }

  private setState(next: EngineState): void {
    if (next === this.current) return;
    this.current = next;
    this.stateListeners.emit(next);
  }
}
