import { isErrorCode, LocusError } from '@locus/protocol';
import type { Logger } from './logger.js';

/**
 * The one place an arbitrary thrown value becomes a LocusError. Engine errors keep their stable code
 * (ENGINE_UNAVAILABLE / ENGINE_TIMEOUT / ENGINE_CLOSED); anything unexpected is logged with its stack
 * and reported as INTERNAL without internals.
 */
export function toLocusError(err: unknown, log: Logger): LocusError {
  if (err instanceof LocusError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ENGINE_') && isErrorCode(code)) {
    return new LocusError(code, (err as Error).message);
  }
  log.error({ err }, 'unexpected error');
  return new LocusError('INTERNAL');
}
