import { mintToken } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { demoCarIds } from './cars.js';
import { DemoSimulator, type LatLng } from './simulator.js';

/** Destinations for the simulated cars: a spread of the extract's POIs (they sit on or near roads). */
function destinationsOf(ctx: GatewayContext, max = 200): LatLng[] {
  const pois = ctx.geo.extract?.pois ?? [];
  const step = Math.max(1, Math.floor(pois.length / max));
  const out: LatLng[] = [];
  for (let i = 0; i < pois.length && out.length < max; i += step) out.push({ lat: pois[i]!.lat, lng: pois[i]!.lng });
  return out;
}

/**
 * Starts the demo's simulated friends when LOCUS_DEMO_SIM=on (after the gateway listens: they
 * connect to it like any client). Returns null when off, or when there is no map to drive on.
 */
export function startDemoSimulator(ctx: GatewayContext, port: number): DemoSimulator | null {
  const { config, log } = ctx;
  if (!config.demo.sim) return null;
  if (!ctx.routing) {
    log.warn('LOCUS_DEMO_SIM=on but routing is not loaded (no OSM extract): no simulated cars');
    return null;
  }
  const secret = config.jwt.secret!;
  // A wildcard listen address is reachable on loopback; a specific one only on itself.
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const sim = new DemoSimulator({
    http: `http://${hostPart}:${port}`,
    ws: `ws://${hostPart}:${port}/v1/ws`,
    cars: demoCarIds(config.demo.simCars),
    tokenFor: (user) => mintToken(user, { secret, expiresInSec: 24 * 3600 }),
    destinations: destinationsOf(ctx),
    tickMs: config.demo.simTickMs,
    log,
  });
  sim.start();
  return sim;
}

export { DemoSimulator } from './simulator.js';
