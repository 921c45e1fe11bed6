import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import { EngineError } from '../errors.js';
import { ListenerSet } from '../listener-set.js';
import { OpenGate } from '../open-gate.js';
import { ProbeTracker } from '../probe-tracker.js';
import { asBuffer } from '../redis/buffers.js';
import { toEngineError, type RedisContext } from '../redis/redis-context.js';
import { RedisSets } from '../redis/redis-sets.js';
import { RedisRecorder } from '../redis/redis-record.js';
import { DEFAULT_WRITE_WINDOW_MS } from '../redis/redis-options.js';
import { RedisStreams } from '../redis/redis-streams.js';
import { coalesceWrites } from '../redis/write-coalescing.js';
import { SubscriptionTable } from '../subscriptions.js';
import type { Engine, EngineState, RecordWrite } from '../types.js';
import { ClusterBus, type ShardDirectory } from './cluster-bus.js';
import { ClusterKV } from './cluster-kv.js';
import {
  checkPrefix,
  clusterOptions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_PREFIX,
  DEFAULT_SUBSCRIBE_WAIT_MS,
  TOPOLOGY_RETRY_MS,
  type RedisClusterEngineOptions,
} from './cluster-options.js';
import { ShardSubscriber } from './shard-subscriber.js';
import { SLOT_COUNT, slotRanges } from './slots.js';

interface ReadyWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface ShardWaiter {
  slot: number;
  stale: ShardSubscriber | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * The Redis Cluster engine. Commands (and SPUBLISH) go through one ioredis Cluster, which routes
 * each by its key's slot and follows MOVED / failovers. Pub/sub is sharded (Redis 7 SSUBSCRIBE):
 * one subscriber connection per master, each holding the channels of its slots, so no message
 * crosses the cluster bus and pub/sub scales with the number of shards.
 *
 * The engine keeps its own slot → master map, re-read from the Cluster's slot cache on every
 * refresh: a shard subscriber exists for each master and is replaced when its node dies or its slots
 * change, and the replacement subscribes what this process needs there (the table is the truth).
 * While some shard has no working subscriber the map is re-read every 200 ms, so after a replica is
 * promoted deliveries resume within a few hundred ms of the promotion.
 *
 * State: 'ready' when the Cluster is ready, every slot has a master, and every master's subscriber
 * has restored its subscriptions; 'down' when that stops being true after the first time; 'closed'.
 * probe() round-trips a message through every shard, so readiness means pub/sub works everywhere.
 */
export class RedisClusterEngine implements Engine, ShardDirectory {
  readonly kind = 'redis-cluster' as const;
  readonly bus: ClusterBus;
  readonly kv: ClusterKV;
  readonly sets: RedisSets;
  readonly streams: RedisStreams;
  private readonly recorder: RedisRecorder;
  readonly prefix: string;
  /** CLIENT SETNAME prefix of this instance's connections (command: `<id>-cmd`, shards: `<id>-ssub-<port>`). */
  readonly connectionName: string;

  private readonly cmd: Cluster;
  private readonly where: string;
  private readonly connectTimeoutMs: number;
  private readonly subscribeWaitMs: number;
  private readonly gate: OpenGate;
  private readonly probes = new ProbeTracker();
  private readonly probePrefix: string;
  private readonly errorListeners = new ListenerSet<Error>();
  private readonly stateListeners = new ListenerSet<EngineState>();

  /** Master node key ("host:port") per slot, from the last slot map; undefined = uncovered. */
  private owners: (string | undefined)[] = [];
  /** The masters of that map: each must have a ready subscriber for the engine to be ready. */
  private masters: string[] = [];
  private readonly shards = new Map<string, ShardSubscriber>();
  private shardWaiters: ShardWaiter[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  private current: EngineState = 'connecting';
  private cmdReady = false;
  private everReady = false;
  private lastError: Error | undefined;
  private waiter: ReadyWaiter | undefined;
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: RedisClusterEngineOptions) {
    if (options.nodes.length === 0) throw new RangeError('redis-cluster engine needs at least one startup node');
    const id = randomBytes(6).toString('hex');
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    checkPrefix(this.prefix);
    this.where = options.nodes.map((n) => `${n.host}:${n.port}`).join(',');
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.subscribeWaitMs = options.subscribeWaitMs ?? DEFAULT_SUBSCRIBE_WAIT_MS;
    this.gate = new OpenGate(`redis-cluster engine (${this.where})`);
    this.connectionName = `locus-${id}`;
    // Per instance, like RedisEngine's: each engine sees only its own probes. Not a keys.ts channel ("ch:").
    this.probePrefix = `__probe:${id}:`;

    this.cmd = new Cluster(
      options.nodes.map((n) => ({ host: n.host, port: n.port })),
      clusterOptions(this.connectTimeoutMs, `${this.connectionName}-cmd`),
    );
    // Each node's connection writes at most once per window when busy (see coalesceWrites):
    // auto-pipelining alone batches one event-loop turn, often a single update's commands.
    const writeWindowMs = options.writeWindowMs ?? DEFAULT_WRITE_WINDOW_MS;
    this.cmd.on('+node', (node: Redis) => coalesceWrites(node, writeWindowMs));
    const ctx: RedisContext = {
      cmd: this.cmd,
      prefix: this.prefix,
      gate: this.gate,
      fail: (err: unknown): never => {
        throw toEngineError(err, this.gate, this.where);
      },
    };
    const table = new SubscriptionTable((err) => this.errorListeners.emit(err));
    this.bus = new ClusterBus(ctx, table, this, this.probePrefix, (payload) => this.probes.settle(payload));
    this.kv = new ClusterKV(ctx);
    this.sets = new RedisSets(ctx);
    this.streams = new RedisStreams(ctx);
    this.recorder = new RedisRecorder(ctx, 'SPUBLISH');

    this.cmd.on('ready', () => {
      this.cmdReady = true;
      this.updateState();
    });
    for (const event of ['close', 'reconnecting', 'end']) {
      this.cmd.on(event, () => {
        this.cmdReady = false;
        this.updateState();
      });
    }
    // Every slot-map refresh (start-up, MOVED, the periodic one, ours): follow the topology.
    this.cmd.on('refresh', () => this.reconcile());
    this.cmd.on('error', this.reportError);
    this.cmd.on('node error', this.reportError);
  }

  record(w: RecordWrite, value: Uint8Array): Promise<void> {
    return this.recorder.record(w, value);
  }

  get state(): EngineState {
    return this.current;
  }

  /** Masters this engine holds a pub/sub connection to, with their state (for tests and diagnostics). */
  get shardStates(): ReadonlyMap<string, ShardSubscriber['status']> {
    return new Map([...this.shards].map(([key, shard]) => [key, shard.status]));
  }

  connect(): Promise<void> {
    if (this.gate.closed) return this.gate.rejection();
    if (this.current === 'ready') return Promise.resolve();
    if (this.connecting !== undefined) return this.connecting;
    this.connecting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.connectTimedOut(), this.connectTimeoutMs);
      this.waiter = { resolve, reject, timer };
    });
    if (this.cmd.status === 'wait') this.cmd.connect().catch(() => {});
    return this.connecting;
  }

  probe(timeoutMs: number): Promise<number> {
    if (this.gate.closed) return this.gate.rejection();
    const broken = this.brokenShard();
    if (broken !== undefined) return Promise.reject(new EngineError('ENGINE_UNAVAILABLE', `${broken} (${this.where})`));
    const results = this.masters.map((key) => {
      const shard = this.shards.get(key)!;
      const request = this.probes.begin(timeoutMs);
      this.cmd
        .spublish(this.prefix + shard.probeChannel, asBuffer(request.payload))
        .catch((err: unknown) => request.fail(toEngineError(err, this.gate, this.where)));
      return request.result;
    });
    return Promise.all(results).then((rtts) => Math.max(...rtts));
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
    clearTimeout(this.refreshTimer);
    this.settleWaiter(closed);
    this.probes.rejectAll(closed);
    for (const w of this.shardWaiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(closed);
    }
    this.bus.clear();
    for (const shard of [...this.shards.values()]) shard.close();
    this.shards.clear();
    this.updateState();
    this.closing = shutdown(this.cmd);
    return this.closing;
  }

  // ShardDirectory

  connectedShard(slot: number): ShardSubscriber | undefined {
    const key = this.owners[slot];
    const shard = key === undefined ? undefined : this.shards.get(key);
    return shard?.connected === true && shard.owns(slot) ? shard : undefined;
  }

  waitForShard(slot: number, stale?: ShardSubscriber): Promise<void> {
    if (this.gate.closed) return this.gate.rejection();
    const key = this.owners[slot];
    const shard = key === undefined ? undefined : this.shards.get(key);
    if (shard !== undefined && shard !== stale && shard.status === 'ready' && shard.owns(slot)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: ShardWaiter = {
        slot,
        stale,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.shardWaiters = this.shardWaiters.filter((w) => w !== waiter);
          reject(new EngineError('ENGINE_UNAVAILABLE', `no pub/sub for slot ${slot} on ${this.where} within ${this.subscribeWaitMs} ms`));
        }, this.subscribeWaitMs),
      };
      waiter.timer.unref();
      this.shardWaiters.push(waiter);
    });
  }

  topologyStale(): void {
    this.scheduleRefresh(0);
  }

  // Topology

  /** Brings the shard subscribers in line with the Cluster's current slot map. */
  private reconcile(): void {
    if (this.gate.closed) return;
    const slots = this.cmd.slots;
    const owners = new Array<string | undefined>(SLOT_COUNT);
    const slotsOf = new Map<string, number[]>();
    for (let s = 0; s < SLOT_COUNT; s++) {
      const key = slots[s]?.[0];
      owners[s] = key;
      if (key === undefined) continue;
      let list = slotsOf.get(key);
      if (list === undefined) slotsOf.set(key, (list = []));
      list.push(s);
    }
    this.owners = owners;
    this.masters = [...slotsOf.keys()];
    for (const [key, shard] of this.shards) {
      const want = slotsOf.get(key);
      if (want !== undefined && shard.status !== 'dead' && slotRanges(want) === shard.signature) continue;
      this.shards.delete(key);
      shard.close();
    }
    for (const [key, list] of slotsOf) {
      if (!this.shards.has(key)) this.shards.set(key, this.makeShard(key, list));
    }
    this.updateState();
  }

  private makeShard(key: string, slots: number[]): ShardSubscriber {
    const port = key.slice(key.lastIndexOf(':') + 1);
    return new ShardSubscriber(key, slots, this.probePrefix, this.connectTimeoutMs, `${this.connectionName}-ssub-${port}`, {
      restore: (shard) => this.restoreShard(shard),
      dead: (shard) => {
        if (this.shards.get(shard.nodeKey) === shard) this.shards.delete(shard.nodeKey);
        this.updateState();
        // Its node died or dropped it: find out where its slots went (and retry while they have not moved).
        if (!this.gate.closed) this.scheduleRefresh(TOPOLOGY_RETRY_MS);
      },
      message: this.bus.receive,
      error: (err, shard) => {
        this.reportError(err);
        // Redis unsubscribes a shard's subscribers from the channels of a slot it loses (slot
        // moved, or the node demoted). ioredis takes that unrequested SUNSUBSCRIBE for the reply
        // to a command and reports a queue error: the connection's view is no longer trustworthy.
        // Drop it and re-read the slot map; the new owners' subscribers restore the channels.
        if (err.message.includes('Command queue state error')) {
          shard.close();
          this.topologyStale();
        }
      },
    });
  }

  private restoreShard(shard: ShardSubscriber): void {
    this.bus.restore(shard).then(
      () => {
        if (this.gate.closed || shard.status !== 'restoring') return;
        shard.markReady();
        this.releaseShardWaiters(shard);
        this.updateState();
      },
      (err: unknown) => {
        if (this.gate.closed || shard.status === 'dead') return;
        this.errorListeners.emit(
          new EngineError('ENGINE_UNAVAILABLE', `restoring subscriptions on shard ${shard.nodeKey} failed`, { cause: err }),
        );
        // Most likely the slots moved under us (MOVED): drop it; the refresh makes the right one.
        shard.close();
      },
    );
  }

  private releaseShardWaiters(shard: ShardSubscriber): void {
    const still: ShardWaiter[] = [];
    for (const w of this.shardWaiters) {
      if (w.stale !== shard && shard.owns(w.slot)) {
        clearTimeout(w.timer);
        w.resolve();
      } else {
        still.push(w);
      }
    }
    this.shardWaiters = still;
  }

  /** Re-reads the slot map after `delayMs`, and keeps doing so while some shard is not ready. */
  private scheduleRefresh(delayMs: number): void {
    if (this.refreshTimer !== undefined || this.gate.closed) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.gate.closed || this.cmd.status !== 'ready') return;
      // Success emits 'refresh' (→ reconcile). Either way, go on while something is still broken.
      this.cmd.refreshSlotsCache(() => {
        if (!this.allShardsReady()) this.scheduleRefresh(TOPOLOGY_RETRY_MS);
      });
    }, delayMs);
    this.refreshTimer.unref();
  }

  private allShardsReady(): boolean {
    return this.brokenShard() === undefined;
  }

  /** Why pub/sub is not working everywhere, or undefined when every slot's master has a ready subscriber. */
  private brokenShard(): string | undefined {
    if (this.masters.length === 0) return 'no slot map yet';
    if (this.owners.includes(undefined)) return 'some slots have no master';
    for (const key of this.masters) {
      const status = this.shards.get(key)?.status ?? 'dead';
      if (status !== 'ready') return `pub/sub on shard ${key} is ${status}`;
    }
    return undefined;
  }

  private updateState(): void {
    let next: EngineState;
    if (this.gate.closed) next = 'closed';
    else if (this.cmdReady && this.allShardsReady()) next = 'ready';
    else next = this.everReady ? 'down' : 'connecting';
    if (next === this.current) return;
    this.current = next;
    if (next === 'ready') {
      this.everReady = true;
      this.settleWaiter(null);
    }
    this.stateListeners.emit(next);
  }

  private readonly reportError = (err: Error): void => {
    this.lastError = err;
    this.errorListeners.emit(err);
  };

  private connectTimedOut(): void {
    const detail = this.lastError === undefined ? '' : ` (last error: ${this.lastError.message})`;
    const err = new EngineError('ENGINE_UNAVAILABLE', `cannot reach Redis Cluster at ${this.where} within ${this.connectTimeoutMs} ms${detail}`, {
      cause: this.lastError,
    });
    this.settleWaiter(err);
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

/** QUIT when up (replies in flight arrive); otherwise drop the sockets and any reconnect timer. */
async function shutdown(cluster: Cluster): Promise<void> {
  if (cluster.status === 'ready') {
    try {
      await cluster.quit();
      return;
    } catch {
      // Fall through.
    }
  }
  cluster.disconnect();
}
