import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** The one error type services throw for expected failures; the gateway turns it into a reply. */
export class LocusError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].text);
    this.name = 'LocusError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }
}
