/* Test helpers: these import server code (to start gateways and mint tokens); never used by the SDK itself. */
import WebSocket from 'ws';
import { mintToken } from '../../../gateway/src/auth.js';
import { DEV_JWT_SECRET } from '../../../gateway/src/config.js';
import { connect, type LocusClient } from '../client.js';
import type { ConnectOptions } from '../options.js';
import type { LocusEvents } from '../types.js';

export { startGatewayProcess, type GatewayProcess } from '../../../gateway/src/testing/gateway-process.js';

export const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

let n = 0;
export const uniqueUser = (name: string): string => `${name}-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

/** A client for `user` on Node 20 (the `ws` package as WebSocket), fast backoff for tests. */
export function client(url: string | string[], user: string, extra: Partial<ConnectOptions> = {}): Promise<LocusClient> {
  return connect({
    ...(Array.isArray(url) ? { urls: url } : { url }),
    getToken: () => token(user),
    WebSocket,
    backoff: { initialDelayMs: 50, maxDelayMs: 500 },
    ...extra,
  });
}

/** Collect every payload of one event. */
export function collect<K extends keyof LocusEvents>(c: LocusClient, event: K): LocusEvents[K][] {
  const out: LocusEvents[K][] = [];
  c.on(event, (p) => out.push(p));
  return out;
}

export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const MONACO = { lat: 43.7384, lng: 7.4246 };
