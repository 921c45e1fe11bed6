import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { createGateway, type Gateway } from '../server.js';
import { mintToken } from '../auth.js';
import { DEV_JWT_SECRET } from '../config.js';

/** An in-process gateway on a free loopback port with the memory engine unless env says otherwise. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<{
  gw: Gateway;
  config: Config;
  url: string;
  http: string;
  token: (user: string, ttlSec?: number, roles?: string[]) => string;
  stop: () => Promise<void>;
}> {
  // No OSM seed unless a test asks for it: most tests need no businesses, and it keeps them fast.
  const config = loadConfig({ LOCUS_HOST: '127.0.0.1', LOCUS_PORT: '0', LOCUS_DRAIN_MS: '0', LOCUS_LOG_LEVEL: 'silent', LOCUS_SEED_OSM: '', ...env });
  const gw = createGateway(config, createLogger(config.logLevel, 'test'));
  const port = await gw.start();
  const secret = env.LOCUS_JWT_SECRET ?? DEV_JWT_SECRET;
  return {
    gw,
    config,
    url: `ws://127.0.0.1:${port}/v1/ws`,
    http: `http://127.0.0.1:${port}`,
    token: (user, ttlSec = 3600, roles = []) => mintToken(user, { secret, expiresInSec: ttlSec, roles }),
    stop: () => gw.drain(),
  };
}
