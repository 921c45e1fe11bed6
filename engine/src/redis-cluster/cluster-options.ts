import type { ClusterOptions } from 'ioredis';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PREFIX } from '../redis/redis-options.js';

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

export interface RedisClusterEngineOptions {
  /** Startup nodes: any reachable subset of the cluster is enough, the rest is discovered. */
  nodes: readonly ClusterNodeAddress[];
  /**
   * Prepended to every key and channel. Must not contain braces: a `{` in the prefix would become
   * every key's hash tag and put the whole keyspace in one slot. Default 'locus:'.
   */
  prefix?: string;
  /** connect() gives up after this long; also each TCP connect attempt's timeout. Default 5000. */
  connectTimeoutMs?: number;
  /** As RedisEngineOptions.writeWindowMs, per node connection. Default 1. */
  writeWindowMs?: number;
  /**
   * How long a subscribe waits for the pub/sub connection of the channel's shard to come back
   * (during a failover) before it fails with ENGINE_UNAVAILABLE. Default 2000.
   */
  subscribeWaitMs?: number;
}

export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_PREFIX };
export const DEFAULT_SUBSCRIBE_WAIT_MS = 2_000;
/** While some shard has no working subscriber, the slot map is re-read this often. */
export const TOPOLOGY_RETRY_MS = 200;

/** Parses "host:port,host:port" (LOCUS_REDIS_CLUSTER_NODES); throws a RangeError naming the bad entry. */
export function parseClusterNodes(list: string): ClusterNodeAddress[] {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new RangeError('expected at least one host:port');
  return entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = m === null ? NaN : Number(m[2]);
    if (m === null || !(port >= 1 && port <= 65535)) throw new RangeError(`not a host:port: ${JSON.stringify(entry)}`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

export function checkPrefix(prefix: string): void {
  if (/[{}]/.test(prefix)) throw new RangeError(`cluster key prefix must not contain braces: ${JSON.stringify(prefix)}`);
}

/**
 * The command side (ioredis Cluster). Failing fast during a failover: a command for a shard whose
 * master is gone is retried every 100 ms with a fresh slot map (retryDelayOnFailover /
 * ClusterDown / TryAgain), up to 16 redirections, so it either reaches the promoted replica or fails
 * within ~2 s with ENGINE_UNAVAILABLE; it never waits forever.
 */
export function clusterOptions(connectTimeoutMs: number, connectionName: string): ClusterOptions {
  return {
    lazyConnect: true,
    enableAutoPipelining: true,
    enableOfflineQueue: true,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: 1_000,
    // Periodic re-read of the slot map: slot moves are noticed even with no traffic to MOVE us.
    slotsRefreshInterval: 5_000,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 50, 2_000),
    redisOptions: {
      connectTimeout: connectTimeoutMs,
      connectionName,
      maxRetriesPerRequest: 2,
    },
  };
}
