import { ERROR_CODES, isErrorCode, type ErrorCode } from '@locus/protocol';

/**
 * Codes the SDK itself produces (no server involved). Server codes come from the protocol's
 * ERROR_CODES table, so one `switch (err.code)` covers both.
 */
export const CLIENT_ERROR_CODES = {
  /** No reply (or no connection) within the request timeout. */
  TIMEOUT: 'no reply within the request timeout',
  /** The connection closed before the reply arrived: the request may or may not have taken effect. */
  CONNECTION_LOST: 'the connection closed before the reply arrived',
  /** The client was closed with close(). */
  CLOSED: 'the client is closed',
  /** No WebSocket implementation: pass the `WebSocket` option (e.g. from the `ws` package on Node 20). */
  NO_WEBSOCKET: 'no WebSocket implementation: pass options.WebSocket',
  /** An HTTP call failed without a Locus error body (network failure, proxy error page). */
  HTTP: 'the HTTP request failed',
} as const;

export type ClientErrorCode = keyof typeof CLIENT_ERROR_CODES;
export type LocusErrorCode = ErrorCode | ClientErrorCode;

/** Every failure the SDK reports: a stable `code` to branch on, a message for people. */
export class LocusClientError extends Error {
  readonly code: LocusErrorCode;
  /** HTTP status of a server code (the protocol's table), or the HTTP response status; 0 for SDK codes. */
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: LocusErrorCode, message?: string, details?: Record<string, unknown>, status?: number) {
    const known = isErrorCode(code) ? ERROR_CODES[code] : undefined;
    super(message ?? known?.text ?? CLIENT_ERROR_CODES[code as ClientErrorCode]);
    this.name = 'LocusClientError';
    this.code = code;
    this.status = status ?? known?.status ?? 0;
    this.details = details;
  }

  /** From a server `error` message or an HTTP error body; unknown codes (a newer server) become INTERNAL. */
  static fromServer(e: { code: string; message?: string; details?: Record<string, unknown> }, status?: number): LocusClientError {
    const code: LocusErrorCode = isErrorCode(e.code) ? e.code : 'INTERNAL';
    return new LocusClientError(code, e.message, e.code === code ? e.details : { ...e.details, serverCode: e.code }, status);
  }
}
