export interface BackoffOptions {
  /** Cap of the first delay (ms). Default 500. */
  initialDelayMs?: number;
  /** Largest cap (ms). Default 30000. */
  maxDelayMs?: number;
  /** Growth of the cap per attempt. Default 2. */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 };

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, initial × factor^attempt)).
 * Full jitter spreads the reconnects of many clients that lost the same gateway at the same moment,
 * so the survivors are not hit by synchronized waves.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_BACKOFF, ...options };
  const cap = Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** Math.max(0, attempt));
  return Math.floor(random() * cap);
}
