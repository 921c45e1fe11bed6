import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { EngineError } from '../errors.js';
import { ListenerSet } from '../listener-set.js';
import { OpenGate } from '../open-gate.js';
import { ProbeTracker } from '../probe-tracker.js';
import { SubscriptionTable } from '../subscriptions.js';
import type { Engine, EngineState, RecordWrite } from '../types.js';
import { asBuffer } from './buffers.js';
import { redactUrl } from './redact-url.js';
import { RedisBus } from './redis-bus.js';
import type { RedisContext } from './redis-context.js';
import { toEngineError } from './redis-context.js';
import { RedisKV } from './redis-kv.js';
import { connectionOptions, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PREFIX, DEFAULT_WRITE_WINDOW_MS, type RedisEngineOptions } from './redis-options.js';
import { RedisSets } from './redis-sets.js';
import { RecordBatcher } from './record-batch.js';
import { RedisStreams } from './redis-streams.js';
import { coalesceWrites } from './write-coalescing.js';

/** Pause before recycling a subscriber connection whose subscriptions could not be restored. */
const RESTORE_RETRY_MS = 1_000;

interface ReadyWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The Redis engine: shared state for several gateway processes. Two connections, because a
 * connection in subscribe mode cannot run other commands: `cmd` (commands and PUBLISH; commands
 * issued together share one write, see coalesceWrites) and `sub` (SUBSCRIBE and incoming messages).
 *
 * State: 'ready' when both connections are ready and the subscriber has restored every
 * subscription; 'connecting' until the first time that happens; 'down' whenever it stops being true
 * later (ioredis keeps reconnecting); 'closed' after close() or a failed start-up connect().
 *
 * Errors not tied to a command (connection errors, failed resubscribe, throwing bus listeners) go
 * to onError listeners; with none registered they are dropped: `state` and probe() carry availability.
 */
export class RedisEngine implements Engine {
  readonly kind = 'redis' as const;
  readonly bus: RedisBus;
  readonly kv: RedisKV;
  readonly sets: RedisSets;
  readonly streams: RedisStreams;
  private readonly recorder: RecordBatcher;
  readonly prefix: string;
  /** CLIENT SETNAME of both connections: lets operators (and tests) find this instance in CLIENT LIST. */
  readonly connectionNames: { readonly command: string; readonly subscriber: string };

  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly where: string;
  private readonly connectTimeoutMs: number;
  private readonly gate: OpenGate;
  private readonly probes = new ProbeTracker();
  private readonly probeChannel: string;
  private readonly errorListeners = new ListenerSet<Error>();
  private readonly stateListeners = new ListenerSet<EngineState>();

  private current: EngineState = 'connecting';
  private cmdReady = false;
  private subReady = false;
  /** Bumped whenever the subscriber goes away: a restore() finishing for an older connection is ignored. */
  private subEpoch = 0;
  private everReady = false;
  private lastError: Error | undefined;
  private waiter: ReadyWaiter | undefined;
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: RedisEngineOptions) {
    const id = randomBytes(6).toString('hex');
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.where = redactUrl(options.url);
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.gate = new OpenGate(`redis engine (${this.where})`);
    this.connectionNames = { command: `locus-${id}-cmd`, subscriber: `locus-${id}-sub` };
    // Unique per instance: each engine waits only for its own probes, and no probe traffic is
    // delivered to other gateways. Cannot collide with keys.ts, whose channels all start with "ch:".
    this.probeChannel = `__probe:${id}`;

    // Commands are batched by coalesceWrites (per turn, or per window when busy), not by ioredis's auto-pipelining.
    const windowMs = options.writeWindowMs ?? DEFAULT_WRITE_WINDOW_MS;
    this.cmd = new Redis(options.url, connectionOptions(this.connectTimeoutMs, this.connectionNames.command));
    coalesceWrites(this.cmd, windowMs);
    this.sub = new Redis(options.url, {
      ...connectionOptions(this.connectTimeoutMs, this.connectionNames.subscriber),
      autoResubscribe: false,
    });

    const ctx: RedisContext = {
      cmd: this.cmd,
      prefix: this.prefix,
      gate: this.gate,
      fail: (err: unknown): never => {
        throw toEngineError(err, this.gate, this.where);
      },
    };
    const table = new SubscriptionTable((err) => this.errorListeners.emit(err));
    this.bus = new RedisBus(ctx, this.sub, table, {
      name: this.probeChannel,
      receive: (payload) => this.probes.settle(payload),
    });
    this.kv = new RedisKV(ctx);
    this.sets = new RedisSets(ctx);
    this.streams = new RedisStreams(ctx);
    this.recorder = new RecordBatcher(ctx, windowMs);

    this.cmd.on('ready', () => {
      this.cmdReady = true;
      this.updateState();
    });
    this.cmd.on('close', () => {
      this.cmdReady = false;
      this.updateState();
    });
    this.sub.on('ready', () => this.restoreSubscriptions());
    this.sub.on('close', () => {
      this.subReady = false;
      this.subEpoch++;
      this.updateState();
    });
    this.sub.on('messageBuffer', this.bus.receive);
    this.cmd.on('error', this.reportConnectionError);
    this.sub.on('error', this.reportConnectionError);
  }

  record(w: RecordWrite, value: Uint8Array): Promise<void> {
    return this.recorder.record(w, value);
  }

  get state(): EngineState {
    return this.current;
  }

  /**
   * Opens both connections and resolves once the engine is 'ready'. Rejects with ENGINE_UNAVAILABLE
   * (naming the URL, password redacted) if that takes longer than connectTimeoutMs. A failed first
   * connect is terminal: the connections are torn down (no retrying forever at start-up) and the
   * engine is closed; create a new one to try again. Called again while 'down' after having been
   * ready, it waits (up to the same timeout) for the reconnection ioredis is already making.
   */
  connect(): Promise<void> {
    if (this.gate.closed) return this.gate.rejection();
    if (this.current === 'ready') return Promise.resolve();
    if (this.connecting !== undefined) return this.connecting;
    this.connecting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.connectTimedOut(), this.connectTimeoutMs);
      this.waiter = { resolve, reject, timer };
    });
    for (const connection of [this.cmd, this.sub]) {
      // 'wait' = lazy, never connected. Otherwise ioredis is already connecting or reconnecting.
      // Failures surface through 'error'/'close' events and the deadline, not this promise.
      if (connection.status === 'wait') connection.connect().catch(() => {});
    }
    return this.connecting;
  }

  probe(timeoutMs: number): Promise<number> {
    if (this.gate.closed) return this.gate.rejection();
    const request = this.probes.begin(timeoutMs);
    this.cmd
      .publish(this.prefix + this.probeChannel, asBuffer(request.payload))
      .catch((err: unknown) => request.fail(toEngineError(err, this.gate, this.where)));
    return request.result;
  }

  onError(listener: (err: Error) => void): void {
    this.errorListeners.add(listener);
  }

  onState(listener: (state: EngineState) => void): void {
    this.stateListeners.add(listener);
  }

  close(): Promise<void> {
    if (!this.gate.close()) return this.closing ?? Promise.resolve();
    const closed = this.gate.error();
    this.settleWaiter(closed);
    this.probes.rejectAll(closed);
    this.bus.clear();
    this.updateState();
    this.closing = Promise.all([shutdown(this.cmd, closed), shutdown(this.sub, closed)]).then(() => {});
    return this.closing;
  }

  private updateState(): void {
    let next: EngineState;
    if (this.gate.closed) next = 'closed';
    else if (this.cmdReady && this.subReady) next = 'ready';
    else next = this.everReady ? 'down' : 'connecting';
    if (next === this.current) return;
    this.current = next;
    if (next === 'ready') {
      this.everReady = true;
      this.settleWaiter(null);
    }
    this.stateListeners.emit(next);
  }

  /** On every subscriber 'ready': a fresh connection has no subscriptions, so replay the table. */
  private restoreSubscriptions(): void {
    const epoch = ++this.subEpoch;
    this.bus.restore().then(
      () => {
        if (epoch !== this.subEpoch || this.gate.closed) return;
        this.subReady = true;
        this.updateState();
      },
      (err: unknown) => {
        if (epoch !== this.subEpoch || this.gate.closed) return;
        this.errorListeners.emit(
          new EngineError('ENGINE_UNAVAILABLE', `restoring subscriptions on ${this.where} failed`, { cause: err }),
        );
        // Stay not-ready (state and probe say so) and retry on a fresh connection: its 'ready' runs
        // this again. The pause keeps a permanent failure (an ACL denying a channel) from becoming
        // a reconnect storm.
        setTimeout(() => {
          if (epoch === this.subEpoch && !this.gate.closed) this.sub.disconnect(true);
        }, RESTORE_RETRY_MS).unref();
      },
    );
  }

  private readonly reportConnectionError = (err: Error): void => {
    this.lastError = err;
    this.errorListeners.emit(err);
  };

  private connectTimedOut(): void {
    const detail = this.lastError === undefined ? '' : ` (last error: ${this.lastError.message})`;
    const err = new EngineError(
      'ENGINE_UNAVAILABLE',
      `cannot reach Redis at ${this.where} within ${this.connectTimeoutMs} ms${detail}`,
      { cause: this.lastError },
    );
    this.settleWaiter(err);
    // At start-up, give up for good. Once running, ioredis keeps reconnecting; only this wait gives up.
    if (!this.everReady) void this.close();
  }

  private settleWaiter(err: Error | null): void {
    const waiter = this.waiter;
    if (waiter === undefined) return;
    this.waiter = undefined;
    this.connecting = undefined;
    clearTimeout(waiter.timer);
    if (err === null) waiter.resolve();
    else waiter.reject(err);
  }
}

/**
 * QUIT lets replies in flight arrive; a connection that is not up has nothing to wait for and is
 * dropped. `closed` is the error for commands stranded in its queues (see below).
 */
async function shutdown(connection: Redis, closed: Error): Promise<void> {
  if (connection.status === 'ready') {
    try {
      await connection.quit();
      return;
    } catch {
      // Fall through: make sure the socket and any reconnect timer are gone.
    }
  }
  const waitingToReconnect = connection.status === 'reconnecting';
  connection.disconnect();
  // ioredis bug: disconnect() while waiting to reconnect fires no close event, so commands queued
  // meanwhile would stay pending forever (redis/ioredis PR #2169). Reject them through ioredis's
  // own (private) flushQueue; if a future version drops it, that fix has presumably landed.
  if (waitingToReconnect) {
    const internal = connection as unknown as { flushQueue?: (err: Error) => void };
    if (typeof internal.flushQueue === 'function') internal.flushQueue(closed);
  }
}
