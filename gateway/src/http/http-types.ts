import type { Identity } from '../auth.js';
import type { GatewayContext } from '../context.js';

/** What a route handler gets: everything read from the uWS request up front (it is stack-allocated). */
export interface HttpCall {
  ctx: GatewayContext;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: { authorization: string; contentType: string; ifNoneMatch: string; ifMatch: string };
  /** Parsed JSON body (undefined when the request had none). */
  body: unknown;
  /** Set for routes that require a token. */
  identity: Identity | null;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  /** Raw text body (metrics) instead of JSON. */
  text?: string;
  /** Raw binary body (vector tiles); set content-type in headers. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `:name` segments. */
  path: string;
  /** Require a bearer token (default true). */
  auth?: boolean;
  /** Accept a JSON body. */
  body?: boolean;
  /** Body size limit for this route (default LOCUS_HTTP_MAX_BODY_BYTES). */
  maxBody?: number;
  handler(call: HttpCall): Promise<HttpResult> | HttpResult;
}
