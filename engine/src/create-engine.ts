import { MemoryEngine } from './memory/memory-engine.js';
import type { ClusterNodeAddress } from './redis-cluster/cluster-options.js';
import { RedisClusterEngine } from './redis-cluster/redis-cluster-engine.js';
import { RedisEngine } from './redis/redis-engine.js';
import type { Engine } from './types.js';

export type EngineConfig =
  | { kind: 'memory' }
  | { kind: 'redis'; url: string; prefix?: string; connectTimeoutMs?: number; writeWindowMs?: number }
  | { kind: 'redis-cluster'; nodes: readonly ClusterNodeAddress[]; prefix?: string; connectTimeoutMs?: number; writeWindowMs?: number };

/** The engine named by configuration, not yet connected: call connect() before use. */
export function createEngine(config: EngineConfig): Engine {
  switch (config.kind) {
    case 'memory':
      return new MemoryEngine();
    case 'redis':
      return new RedisEngine({ url: config.url, prefix: config.prefix, connectTimeoutMs: config.connectTimeoutMs, writeWindowMs: config.writeWindowMs });
    case 'redis-cluster':
      return new RedisClusterEngine({ nodes: config.nodes, prefix: config.prefix, connectTimeoutMs: config.connectTimeoutMs, writeWindowMs: config.writeWindowMs });
  }
}
