import {
  CLOSE_CODES,
  decodeClientFrame,
  LocusError,
  negotiate,
  type Welcome,
} from '@locus/protocol';
import type { GatewayContext } from '../context.js';
import { toLocusError } from '../errors.js';
import type { HttpRequest, HttpResponse, WebSocket } from '../uws.js';
import { uws } from '../uws.js';
import { Connection } from './connection.js';
import { handle } from './dispatch.js';
import { takeToken } from './token-bucket.js';

/**
 * uWS copies the user-data object's own properties into its own object (prototype methods are lost),
 * so the user data is a one-field holder of the Connection.
 */
interface UserData {
  c: Connection;
}
type WS = WebSocket<UserData>;

/**
 * The uWS WebSocket behaviour: authentication and version negotiation at the upgrade, then
 * rate limit → size limit → decode/validate → dispatch for every message. No input can throw out of
 * these handlers; every bad message gets an error reply with a stable code, and only abuse closes.
 */
export function socketBehavior(ctx: GatewayContext) {
  const { limits } = ctx.config;
  // Hard cap where uWS itself drops the connection (clients see 1006); below it, oversize frames get a TOO_LARGE reply and the
  // connection stays usable.
  const hardFrameCap = Math.max(limits.maxFrameBytes * 16, 1024 * 1024);

  return {
    compression: uws.DISABLED,
    maxPayloadLength: hardFrameCap,
    idleTimeout: limits.idleTimeoutSec,
    sendPingsAutomatically: true,
    maxBackpressure: limits.hardBackpressure,
    closeOnBackpressureLimit: 0,

    upgrade(res: HttpResponse, req: HttpRequest, context: unknown): void {
      // Everything from req must be read before returning (uWS reuses it).
      const key = req.getHeader('sec-websocket-key');
      const protocols = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      const auth = req.getHeader('authorization');
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : req.getQuery('token') ?? '';
      const v = req.getQuery('v') ?? '';
      const format = req.getQuery('format') ?? '';
      const patches = req.getQuery('patch') === '1';
      const refuse = (status: string, err: LocusError): void => {
        ctx.metrics.errors.labels(err.code).inc();
        res.cork(() => {
          res.writeStatus(status).writeHeader('content-type', 'application/json').end(JSON.stringify({ error: { code: err.code, message: err.message } }));
        });
      };
      if (ctx.draining) return refuse('503 Service Unavailable', new LocusError('DRAINING'));
      const negotiated = negotiate(protocols, v, format);
      if (!negotiated) return refuse('400 Bad Request', new LocusError('UNSUPPORTED_VERSION', 'supported: locus.v1 (msgpack), locus.v1.json'));
      let identity;
      try {
        identity = ctx.verifier.verify(token);
      } catch (err) {
        return refuse('401 Unauthorized', err instanceof LocusError ? err : new LocusError('UNAUTHORIZED'));
      }
      const conn = new Connection(ctx, identity.user, identity.exp, negotiated.version, negotiated.format, Date.now());
      conn.routePatches = patches;
      res.cork(() => {
        res.upgrade<UserData>({ c: conn }, key, negotiated.subprotocol, extensions, context as never);
      });
    },

    open(ws: WS): void {
      const c = ws.getUserData().c;
      c.ws = ws as WebSocket<unknown>;
      ctx.connections.add(c);
      ctx.metrics.connections.inc();
      const welcome: Welcome = {
        t: 'welcome',
        v: c.version,
        user: c.user,
        server: ctx.config.instanceId,
        exp: c.exp,
        radius: ctx.presence.options.defaultRadiusM,
        limits: {
          maxFrameBytes: limits.maxFrameBytes,
          ratePerSec: limits.ratePerSec,
          burst: limits.burst,
          maxFriends: limits.maxFriends,
          idleTimeoutSec: limits.idleTimeoutSec,
        },
      };
      // Registered before any await: a nav_start right after the welcome finds its connection.
      ctx.navigation?.register(c.user, c);
      ctx.inflight++;
      ctx.presence.settings
        .get(c.user)
        .then((s) => {
          welcome.radius = s.radius;
          c.send(welcome);
          // The resumed route comes after the welcome, whatever the engine's timing.
          ctx.navigation?.resume(c.user, c).catch((err: unknown) => ctx.log.warn({ err, user: c.user }, 'navigation resume failed'));
          return ctx.presence.hub.attach(c.user, c);
        })
        .then((friends) => c.send({ t: 'nearby', friends }))
        .catch((err: unknown) => {
          const e = toLocusError(err, ctx.log);
          c.error(undefined, e);
          c.close(CLOSE_CODES.INTERNAL, e.code);
        })
        .finally(() => ctx.inflight--);
    },

    message(ws: WS, data: ArrayBuffer, isBinary: boolean): void {
      const c = ws.getUserData().c;
      if (c.closed) return;
      const now = Date.now();
      if (!takeToken(c, now, limits.ratePerSec, limits.burst)) {
        ctx.metrics.countIn('rate_limited');
        // One error per streak: answering every refused message would amplify a flood.
        if (c.limited++ === 0) c.error(undefined, new LocusError('RATE_LIMITED', `at most ${limits.ratePerSec} messages/s (burst ${limits.burst})`));
        if (c.limited >= limits.floodLimit) c.close(CLOSE_CODES.RATE_LIMIT, 'message flood');
        return;
      }
      c.limited = 0;
      if (data.byteLength > limits.maxFrameBytes) {
        ctx.metrics.countIn('too_large');
        c.error(undefined, new LocusError('TOO_LARGE', `frame of ${data.byteLength} bytes; the limit is ${limits.maxFrameBytes}`));
        countBad(c);
        return;
      }
      const decoded = decodeClientFrame(new Uint8Array(data), isBinary);
      if (!decoded.ok) {
        ctx.metrics.countIn('invalid');
        c.error(decoded.id, decoded.error);
        countBad(c);
        return;
      }
      c.bad = 0;
      const msg = decoded.msg;
      // Load shedding: a client that does not wait for replies cannot queue unbounded work on the
      // engine. Refused, not lost: the client gets an error for this request and may retry it.
      if (c.inflight >= limits.maxInflight) {
        ctx.metrics.countIn('shed');
        c.error(msg.id, new LocusError('RATE_LIMITED', `at most ${limits.maxInflight} requests in flight`, { inflight: limits.maxInflight }));
        return;
      }
      ctx.metrics.countIn(msg.t);
      void handle(c, msg);
    },

    drain(ws: WS): void {
      ws.getUserData().c.flush();
    },

    close(ws: WS, code: number): void {
      const c = ws.getUserData().c;
      c.closed = true;
      c.ws = null;
      ctx.connections.delete(c);
      ctx.metrics.connections.dec();
      if (c.pending) ctx.metrics.dropped.labels('closed').inc(c.pending.size);
      c.pending = null;
      ctx.navigation?.detach(c.user, c).catch((err: unknown) => ctx.log.warn({ err, user: c.user }, 'navigation detach failed'));
      ctx.presence.strangers.detach(c.user, c).catch((err: unknown) => ctx.log.warn({ err, user: c.user }, 'strangers detach failed'));
      ctx.presence.hub
        .detach(c.user, c)
        .then(() => {
          // Its fence state stays in the engine for the next gateway; this one only forgets its copy.
          if (!ctx.presence.hub.isLocal(c.user)) ctx.geo.fences.tracker.forget(c.user);
        })
        .catch((err: unknown) => ctx.log.warn({ err, user: c.user }, 'detach failed'));
      ctx.log.debug({ user: c.user, code }, 'connection closed');
    },
  };

  function countBad(c: Connection): void {
    if (++c.bad >= limits.badMessageLimit) c.close(CLOSE_CODES.BAD_MESSAGES, 'too many bad messages');
  }
}
