import type { Route } from './http-types.js';

/** Liveness, readiness and metrics: no token (operators and load balancers call them). */
export const opsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/healthz',
    auth: false,
    handler: () => ({ status: 200, body: { status: 'ok' } }),
  },
  {
    method: 'GET',
    path: '/readyz',
    auth: false,
    // Ready = not draining AND a probe message made the round trip through the engine's pub/sub.
    // A connected socket alone is not enough: pub/sub can deliver nothing while commands still work.
    async handler({ ctx }) {
      if (ctx.draining) return { status: 503, body: { status: 'draining' } };
      try {
        const ms = await ctx.engine.probe(1000);
        return { status: 200, body: { status: 'ready', engine: ctx.engine.kind, probeMs: Math.round(ms * 100) / 100 } };
      } catch (err) {
        return { status: 503, body: { status: 'not_ready', engine: ctx.engine.kind, state: ctx.engine.state, reason: (err as Error).message } };
      }
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    auth: false,
    async handler({ ctx }) {
      ctx.metrics.subscriptions.set(ctx.engine.bus.channelCount);
      ctx.metrics.localUsers.set(ctx.presence.hub.localUserCount);
      return {
        status: 200,
        text: await ctx.metrics.registry.metrics(),
        headers: { 'content-type': ctx.metrics.registry.contentType },
      };
    },
  },
];
