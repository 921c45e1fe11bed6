import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MemoryEngine } from '@locus/engine';
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import { NavigationService, type NavSink } from '../navigation/navigation-service.js';
import { loadRoutingData, type RoutingData } from '../routing/routing-data.js';

export type { NavSink };

/**
 * A gateway's navigation part in this process, with no sockets: the `memory` engine, the routing data
 * of an OSM extract and a NavigationService configured as a gateway's defaults. What bench:closure
 * drives to see what the gateway's CPU does per closure, apart from socket writes and clients.
 */
export interface NavigationWorld {
  navigation: NavigationService;
  routing: RoutingData;
  /** The JSON log lines written so far (info and above). */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** `env`: gateway settings (LOCUS_NAV_*); `now`: the navigation service's clock (tests move it on). */
export async function startNavigationWorld(osmPath: string, env: NodeJS.ProcessEnv = {}, now: () => number = Date.now): Promise<NavigationWorld> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  const config = loadConfig({ NODE_ENV: 'development', ...env });
  const engine = new MemoryEngine();
  const tiles = await mkdtemp(join(tmpdir(), 'locus-nav-world-'));
  const routing = await loadRoutingData(osmPath, tiles, 4096, engine, log);
  const navigation = new NavigationService(engine, routing, config.navigation, log, now);
  navigation.start();
  return {
    navigation,
    routing,
    logs,
    async stop() {
      await navigation.stop();
      await routing.traffic.stop();
      await engine.close();
      await rm(tiles, { recursive: true, force: true });
    },
  };
}
