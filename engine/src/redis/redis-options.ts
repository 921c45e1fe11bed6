import type { RedisOptions } from 'ioredis';

export interface RedisEngineOptions {
  /** redis:// or rediss:// URL (may carry user, password and db). */
  url: string;
  /** Prepended to every key and channel, so tenants and test runs can share one Redis. Default 'locus:'. */
  prefix?: string;
  /** connect() gives up (ENGINE_UNAVAILABLE) after this long; also each TCP connect attempt's timeout. Default 5000. */
  connectTimeoutMs?: number;
  /**
   * Commands written within this many ms of the previous write go out together, in one write (see
   * coalesceWrites), and location records within this many ms of the previous record call share one
   * script call (RecordBatcher). 0: once per event-loop turn. Default 1.
   */
  writeWindowMs?: number;
}

export const DEFAULT_PREFIX = 'locus:';
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_WRITE_WINDOW_MS = 1;

/**
 * ioredis options shared by both connections.
 *
 * Failing fast while Redis is down: the offline queue stays enabled, so commands issued during a
 * short blip (a failover, a killed connection) are sent once the connection is back instead of
 * failing. But `maxRetriesPerRequest: 2` flushes that queue with an error after two failed reconnect
 * attempts (about 150 ms when the port refuses, a few connect timeouts when packets are dropped), so
 * a caller never waits forever on a Redis that is really gone; the error reaches callers as
 * EngineError ENGINE_UNAVAILABLE. Reconnecting itself goes on forever (capped backoff), which is what
 * a long-running gateway wants; only the start-up connect() has a deadline.
 */
export function connectionOptions(connectTimeoutMs: number, connectionName: string): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    connectionName,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 50, 2_000),
  };
}
