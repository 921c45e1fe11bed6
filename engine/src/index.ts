export type * from './types.js';
export { keys, channels, USER_ID_PATTERN } from './keys.js';
export { EngineError, isEngineError, type EngineErrorCode } from './errors.js';
export { parseStreamId, type StreamId } from './stream-id.js';
export { MemoryEngine, type MemoryEngineOptions } from './memory/memory-engine.js';
export { DEFAULT_MEMORY_STREAM_MAX_LEN } from './memory/memory-streams.js';
export { RedisEngine } from './redis/redis-engine.js';
export { DEFAULT_PREFIX, DEFAULT_CONNECT_TIMEOUT_MS, type RedisEngineOptions } from './redis/redis-options.js';
export { createEngine, type EngineConfig } from './create-engine.js';
export { RedisClusterEngine } from './redis-cluster/redis-cluster-engine.js';
export {
  parseClusterNodes,
  DEFAULT_SUBSCRIBE_WAIT_MS,
  type ClusterNodeAddress,
  type RedisClusterEngineOptions,
} from './redis-cluster/cluster-options.js';
export { slotOf, SLOT_COUNT } from './redis-cluster/slots.js';
