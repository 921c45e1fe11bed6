import { LocusError } from '@locus/protocol';
import type { GatewayContext } from '../context.js';
import type { HttpRequest, HttpResponse, TemplatedApp } from '../uws.js';
import type { HttpCall, Route } from './http-types.js';
import { errorResult, send, type ResponseState } from './respond.js';

/**
 * Mounts routes on the uWS app: reads the request synchronously, authenticates, reads and parses a
 * JSON body with a size cap, runs the handler and answers; every failure goes through errorResult.
 */
export function mountRoutes(app: TemplatedApp, ctx: GatewayContext, routes: readonly Route[]): void {
  for (const route of routes) {
    const pattern = route.path;
    const names = pattern.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    const register = { GET: app.get, POST: app.post, PUT: app.put, DELETE: app.del }[route.method].bind(app);
    register(pattern, (res: HttpResponse, req: HttpRequest) => {
      const state: ResponseState = { aborted: false };
      res.onAborted(() => {
        state.aborted = true;
      });
      const params: Record<string, string> = {};
      // A malformed escape (%E0) is the client's error: remember it, answer 400 below, never throw here.
      let badParam: string | undefined;
      names.forEach((n, i) => {
        const raw = req.getParameter(i) ?? '';
        try {
          params[n] = decodeURIComponent(raw);
        } catch {
          badParam = n;
          params[n] = raw;
        }
      });
      const call: HttpCall = {
        ctx,
        method: route.method,
        path: req.getUrl(),
        params,
        query: new URLSearchParams(req.getQuery() ?? ''),
        headers: {
          authorization: req.getHeader('authorization'),
          contentType: req.getHeader('content-type'),
          ifNoneMatch: req.getHeader('if-none-match'),
          ifMatch: req.getHeader('if-match'),
        },
        body: undefined,
        identity: null,
      };
      const run = async (): Promise<void> => {
        try {
          if (badParam !== undefined) throw new LocusError('BAD_REQUEST', `${badParam}: malformed percent-encoding`, { field: badParam });
          if (route.auth !== false) {
            const h = call.headers.authorization;
            call.identity = ctx.verifier.verify(h.startsWith('Bearer ') ? h.slice(7).trim() : undefined);
          }
          send(res, state, await route.handler(call));
        } catch (err) {
          send(res, state, errorResult(err, ctx));
        }
      };
      if (!route.body) {
        void run();
        return;
      }
      readJsonBody(res, state, route.maxBody ?? ctx.config.limits.httpMaxBodyBytes, call.headers.contentType)
        .then((body) => {
          call.body = body;
          return run();
        })
        .catch((err: unknown) => send(res, state, errorResult(err, ctx)));
    });
  }
  app.any('/*', (res) => {
    const state = { aborted: false };
    res.onAborted(() => (state.aborted = true));
    send(res, state, errorResult(new LocusError('NOT_FOUND', 'no such endpoint'), ctx));
  });
}

function readJsonBody(res: HttpResponse, state: ResponseState, max: number, contentType: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!/^application\/json\b/i.test(contentType)) {
      reject(new LocusError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'));
      // Drain nothing more: uWS closes the request with the response.
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    res.onData((chunk, isLast) => {
      if (failed || state.aborted) return;
      size += chunk.byteLength;
      if (size > max) {
        failed = true;
        reject(new LocusError('TOO_LARGE', `body larger than ${max} bytes`));
        return;
      }
      // uWS reuses the chunk's memory after this callback: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (!isLast) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return reject(new LocusError('BAD_REQUEST', 'empty body'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new LocusError('BAD_REQUEST', 'body is not valid JSON'));
      }
    });
  });
}
