/**
 * The engine's own failures, with a stable `code` callers can branch on (retry, mark the gateway
 * unready, ...). Errors the backend itself answered with (e.g. a Redis WRONGTYPE reply) are passed
 * through unchanged: they are bugs or data problems, not availability problems.
 */
export type EngineErrorCode =
  /** The backend cannot be reached (start-up failed, connection lost, retries exhausted). */
  | 'ENGINE_UNAVAILABLE'
  /** An operation with a deadline (probe, connect wait) did not finish in time. */
  | 'ENGINE_TIMEOUT'
  /** The engine was closed; it will not come back. */
  | 'ENGINE_CLOSED';

export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isEngineError(err: unknown, code?: EngineErrorCode): err is EngineError {
  return err instanceof EngineError && (code === undefined || err.code === code);
}

/** Normalises anything thrown (listeners may throw strings) into an Error for onError listeners. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
