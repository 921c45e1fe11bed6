import { ReplyError, type RedisCommander } from 'ioredis';
import { EngineError } from '../errors.js';
import type { OpenGate } from '../open-gate.js';

/**
 * What the Redis data-structure facades share: the command connection and the engine's rules.
 * `cmd` is a single Redis connection or a Cluster (the redis-cluster engine reuses the facades).
 */
export interface RedisContext {
  readonly cmd: RedisCommander;
  readonly prefix: string;
  readonly gate: OpenGate;
  /**
   * Rethrows a failed command's error as the caller should see it. Bound once and passed to
   * `.then(…, fail)` / `.catch(fail)` so no closure is created per command.
   */
  readonly fail: (err: unknown) => never;
}

/**
 * A reply error means Redis answered (wrong type, OOM, ACL…): pass it through, it is not about
 * availability. Anything else (connection closed, retries exhausted, stream not writable) is
 * ENGINE_UNAVAILABLE, or ENGINE_CLOSED when the engine itself was closed meanwhile.
 */
export function toEngineError(err: unknown, gate: OpenGate, where: string): Error {
  if (gate.closed) return new EngineError('ENGINE_CLOSED', gate.error().message, { cause: err });
  if (err instanceof ReplyError || err instanceof EngineError || err instanceof RangeError) return err as Error;
  const message = err instanceof Error ? err.message : String(err);
  return new EngineError('ENGINE_UNAVAILABLE', `Redis at ${where} unavailable: ${message}`, { cause: err });
}
