/** A small HTTP client for gateway tests: JSON in, parsed JSON (or text) out. */
export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text (with `type`), for malformed or non-JSON bodies. */
  raw?: string;
  type?: string;
  headers?: Record<string, string>;
}

export interface CallResult<J> {
  status: number;
  headers: Headers;
  json: J;
  text: string;
}

export function httpCaller(base: () => string) {
  return async <J = Record<string, unknown>>(method: string, path: string, opts: CallOptions = {}): Promise<CallResult<J>> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined || opts.body !== undefined) {
      headers['content-type'] = opts.type ?? 'application/json';
      body = opts.raw ?? JSON.stringify(opts.body);
    }
    const res = await fetch(base() + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (metrics): the text is there
    }
    return { status: res.status, headers: res.headers, json: json as J, text };
  };
}
