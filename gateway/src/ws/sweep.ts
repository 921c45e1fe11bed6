import { CLOSE_CODES } from '@locus/protocol';
import type { GatewayContext } from '../context.js';

/**
 * Once a second: warn connections whose token expires soon, close the expired ones, and cut off
 * consumers that have held back updates for too long. One pass over the connections instead of two
 * timers per connection keeps an idle connection's memory small.
 */
export function sweepConnections(ctx: GatewayContext, now: number): void {
  const warnMs = ctx.config.tokenWarnMs;
  const slowMs = ctx.config.limits.slowConsumerMs;
  for (const c of ctx.connections) {
    if (c.closed) continue;
    if (now >= c.exp) {
      c.close(CLOSE_CODES.TOKEN_EXPIRED, 'token expired');
      continue;
    }
    if (!c.warned && now >= c.exp - warnMs) {
      c.warned = true;
      c.send({ t: 'token_expiring', exp: c.exp });
    }
    if (c.pending !== null && now - c.pendingSince > slowMs) c.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
  }
}
