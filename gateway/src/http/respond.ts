import { LocusError } from '@locus/protocol';
import type { GatewayContext } from '../context.js';
import { toLocusError } from '../errors.js';
import type { HttpResponse } from '../uws.js';
import type { HttpResult } from './http-types.js';

/** Reason phrases for the statuses Locus answers with (uWS wants the whole status line). */
const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ResponseState {
  aborted: boolean;
}

export function send(res: HttpResponse, state: ResponseState, r: HttpResult): void {
  if (state.aborted) return;
  res.cork(() => {
    res.writeStatus(`${r.status} ${STATUS_TEXT[r.status] ?? ''}`.trim());
    for (const [k, v] of Object.entries(r.headers ?? {})) res.writeHeader(k, v);
    if (r.bytes !== undefined) {
      res.end(r.bytes);
    } else if (r.text !== undefined) {
      res.end(r.text);
    } else if (r.body !== undefined) {
      res.writeHeader('content-type', 'application/json');
      res.end(JSON.stringify(r.body));
    } else if (r.status === 204 || r.status === 304) {
      // end() would add "content-length: 0": forbidden on a 204, and on a 304 caches could take it
      // as the length of the stored (non-empty) representation.
      res.endWithoutBody();
    } else res.end();
  });
}

/** Errors become `{error: {code, message, details?}}` with the code's status — the only place. */
export function errorResult(err: unknown, ctx: GatewayContext): HttpResult {
  const e: LocusError = toLocusError(err, ctx.log);
  ctx.metrics.errors.labels(e.code).inc();
  const headers: Record<string, string> = e.code === 'UNAUTHORIZED' ? { 'www-authenticate': 'Bearer' } : {};
  return { status: e.status, headers, body: { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } } };
}
