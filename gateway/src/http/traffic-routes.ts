import { LocusError } from '@locus/protocol';
import { MAX_BATCH, resolveBatch, TrafficBody } from '@locus/routing';
import type { HttpCall, Route } from './http-types.js';
import { parseBody, requireRole } from './route-helpers.js';

export function routingOf(call: HttpCall) {
  const r = call.ctx.routing;
  if (!r) throw new LocusError('NOT_FOUND', 'routing is not configured on this gateway (no OSM extract)');
  return r;
}

/**
 * POST /v1/traffic — live speeds and closures (speed 0), by edge id or OSM way + direction, each with
 * an expiry. Stored and announced through the engine; applied here before the answer, so the next
 * route query on any gateway that has received it sees it.
 */
export const trafficRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/traffic',
    body: true,
    // 10k updates of ~70 bytes of JSON each.
    maxBody: 4 * 1024 * 1024,
    async handler(call) {
      requireRole(call, 'operator');
      const routing = routingOf(call);
      const body = parseBody(TrafficBody, call.body);
      const batch = resolveBatch(body, routing.graph, routing.ways, Date.now());
      const applied = await routing.traffic.submit(batch);
      // Navigating users on any gateway hear of it through the channels of the tiles it touches.
      await call.ctx.navigation?.publishTraffic(batch);
      return {
        status: 200,
        body: {
          accepted: body.updates.length,
          edges: applied,
          trafficVersion: routing.traffic.live.version,
          graphVersion: routing.traffic.graphVersion,
          applyMs: Math.round(routing.traffic.lastApplyMs * 1000) / 1000,
          maxBatch: MAX_BATCH,
        },
      };
    },
  },
];
