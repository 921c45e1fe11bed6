import { channels, createEngine, type Engine } from '@locus/engine';
import {
  buildTileSource,
  BusinessDirectory,
  BusinessStore,
  FenceDirectory,
  FenceStore,
  FenceTracker,
  GeocodeIndex,
  readOsmExtract,
  seedBusinesses,
  TileService,
} from '@locus/geo';
import { encodeControlEvent, Presence } from '@locus/presence';
import { CLOSE_CODES } from '@locus/protocol';
import { TokenVerifier } from './auth.js';
import type { Config } from './config.js';
import type { GatewayContext } from './context.js';
import { businessRoutes } from './http/business-routes.js';
import { demoRoutes } from './http/demo-routes.js';
import { startDemoSimulator, type DemoSimulator } from './demo/index.js';
import { fenceRoutes } from './http/fence-routes.js';
import { geocodeRoutes } from './http/geocode-routes.js';
import { opsRoutes } from './http/ops-routes.js';
import { presenceRoutes } from './http/presence-routes.js';
import { mountRoutes } from './http/router.js';
import { searchRoutes } from './http/search-routes.js';
import { tileRoutes } from './http/tile-routes.js';
import { routeRoutes } from './http/route-routes.js';
import { trafficRoutes } from './http/traffic-routes.js';
import { NavigationService } from './navigation/navigation-service.js';
import { loadRoutingData } from './routing/routing-data.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { uws, type us_listen_socket } from './uws.js';
import { OwnTopics } from './ws/own-topic.js';
import { SendBatch } from './ws/send-batch.js';
import { socketBehavior } from './ws/socket-handlers.js';
import { sweepConnections } from './ws/sweep.js';

export interface Gateway {
  readonly ctx: GatewayContext;
  /** Listening port (after start). */
  readonly port: number;
  start(): Promise<number>;
  /** Graceful drain: refuse new connections, tell clients to reconnect elsewhere, close over drainMs. */
  drain(): Promise<void>;
}

/** Build a gateway from configuration: engine, presence, HTTP and WebSocket on one uWS app. */
export function createGateway(config: Config, log: Logger, engine: Engine = createEngine(config.engine)): Gateway {
  const metrics = new Metrics();
  const fenceStore = new FenceStore(engine, config.geo.maxFences);
  const fenceDirectory = new FenceDirectory(engine, fenceStore);
  // Always once per turn in a gateway: see HubDeps.deferFanOut.
  const presence = new Presence(engine, { ...config.presence, deferFanOut: true }, {
    fannedOut(deliveries, latencyMs) {
      metrics.latency.observe(latencyMs / 1000);
    },
    badPayload(channel) {
      log.warn({ channel }, 'undecodable payload on a location channel');
    },
    fanOutFailed(err) {
      log.error({ err: (err as Error).message }, 'a friend fan-out failed');
    },
  }, Date.now, (owner) => fenceDirectory.roamingOf(owner), {
    delivered(_deliveries, latencyMs) {
      metrics.latency.observe(latencyMs / 1000);
    },
    badPayload(channel) {
      log.warn({ channel }, 'undecodable payload on a strangers channel');
    },
  });
  fenceDirectory.onRoamingChange = (owner) => presence.hub.refreshRoaming(owner);
  // Static fence events go to the owner's control channel: whichever gateway holds the owner tells it.
  const fenceTracker = new FenceTracker(engine, fenceDirectory, config.geo.fenceDwellSec * 1000, (e) => {
    const fence = { fence: e.fence, event: e.kind, at: e.at, ...(e.name !== undefined ? { name: e.name } : {}) };
    engine.bus.publish(channels.control(e.owner), encodeControlEvent({ kind: 'fence', user: e.user, fence })).catch((err: unknown) => {
      metrics.engineErrors.inc();
      log.warn({ err: (err as Error).message, fence: e.fence }, 'fence event not published');
    });
  });
  const businesses = new BusinessStore(engine);
  const ctx: GatewayContext = {
    config,
    engine,
    presence,
    geo: {
      store: businesses,
      directory: new BusinessDirectory(engine, businesses, config.geo.index, config.geo.cacheCells),
      fences: { store: fenceStore, directory: fenceDirectory, tracker: fenceTracker },
      extract: null,
      tiles: null,
      geocoder: null,
    },
    metrics,
    log,
    verifier: new TokenVerifier(config.jwt),
    routing: null,
    navigation: null,
    connections: new Set(),
    draining: false,
    inflight: 0,
    topics: null,
    sends: new SendBatch(),
  };
  engine.onError((err) => {
    metrics.engineErrors.inc();
    log.warn({ err: err.message }, 'engine error');
  });
  engine.onState((state) => log.info({ state }, 'engine state'));

  const app = uws.App();
  ctx.topics = new OwnTopics(app);
  app.ws('/v1/ws', socketBehavior(ctx));
  mountRoutes(app, ctx, [...opsRoutes, ...presenceRoutes, ...businessRoutes, ...searchRoutes, ...tileRoutes(() => ctx.geo.tiles), ...geocodeRoutes(() => ctx.geo.geocoder), ...fenceRoutes, ...trafficRoutes, ...routeRoutes, ...demoRoutes()]);
  metrics.watchSearchCache(ctx.geo.directory);

  let listenSocket: us_listen_socket | null = null;
  /** A worker's own port (LOCUS_WORKER_PORT_BASE + index), beside the shared one. */
  let workerSocket: us_listen_socket | null = null;
  let port = 0;
  let sweeper: NodeJS.Timeout | undefined;
  let demoSim: DemoSimulator | null = null;

  return {
    ctx,
    get port() {
      return port;
    },
    async start() {
      await engine.connect();
      await loadGeo(ctx);
      presence.hub.start();
      presence.strangers.start();
      sweeper = setInterval(() => {
        const now = Date.now();
        sweepConnections(ctx, now);
        fenceTracker.sweep(now);
      }, 1000);
      sweeper.unref();
      await new Promise<void>((resolve, reject) => {
        app.listen(config.host, config.port, (s) => {
          if (!s) return reject(new Error(`cannot listen on ${config.host}:${config.port} (in use?)`));
          listenSocket = s;
          port = uws.us_socket_local_port(s);
          resolve();
        });
      });
      if (config.worker !== null && config.workerPortBase > 0) {
        const own = config.workerPortBase + config.worker;
        await new Promise<void>((resolve, reject) => {
          app.listen(config.host, own, (s) => {
            if (!s) return reject(new Error(`worker ${config.worker}: cannot listen on its own port ${config.host}:${own} (in use?)`));
            workerSocket = s;
            resolve();
          });
        });
      }
      log.info({ port, engine: engine.kind, devSecret: config.jwt.devSecret }, 'locus gateway listening');
      if (config.jwt.devSecret) log.warn('using the built-in development JWT secret: set LOCUS_JWT_SECRET in production');
      demoSim = startDemoSimulator(ctx, port);
      return port;
    },
    async drain() {
      if (ctx.draining) return;
      ctx.draining = true;
      await demoSim?.stop();
      const conns = [...ctx.connections];
      log.info({ connections: conns.length, drainMs: config.drainMs }, 'draining');
      // Everyone hears first, then connections close spread over the drain period, so the other
      // gateways see a stream of reconnects rather than one spike.
      for (const c of conns) c.send({ t: 'reconnect', reason: 'draining', retryAfterMs: Math.floor(Math.random() * 1000) });
      const step = conns.length > 0 ? config.drainMs / conns.length : 0;
      for (let i = 0; i < conns.length; i++) {
        const c = conns[i]!;
        if (step >= 1) await sleep(step);
        c.close(CLOSE_CODES.SERVICE_RESTART, 'server draining');
      }
      if (listenSocket) uws.us_listen_socket_close(listenSocket);
      listenSocket = null;
      if (workerSocket) uws.us_listen_socket_close(workerSocket);
      workerSocket = null;
      // Let accepted updates finish writing before the engine goes.
      const deadline = Date.now() + 5000;
      while (ctx.inflight > 0 && Date.now() < deadline) await sleep(10);
      if (sweeper) clearInterval(sweeper);
      presence.hub.stop();
      presence.strangers.stop();
      await ctx.geo.directory.stop().catch(() => undefined);
      await ctx.geo.fences.directory.stop().catch(() => undefined);
      await ctx.navigation?.stop().catch(() => undefined);
      await ctx.routing?.traffic.stop().catch(() => undefined);
      await engine.close();
      log.info('drained');
    },
  };
}

/**
 * The OSM extract (when configured) feeds tiles and geocoding on every gateway, and seeds the
 * businesses when the store has none: the first gateway on an empty engine imports them.
 */
async function loadGeo(ctx: GatewayContext): Promise<void> {
  const { config, log, geo } = ctx;
  if (config.geo.osmPath !== '') {
    const t0 = Date.now();
    geo.extract = await readOsmExtract(config.geo.osmPath);
    log.info({ file: config.geo.osmPath, pois: geo.extract.pois.length, roads: geo.extract.roads.length, ms: Date.now() - t0 }, 'osm extract read');
    geo.tiles = new TileService(buildTileSource(geo.extract));
    const warmed = geo.tiles.warm();
    log.info({ version: geo.tiles.version, warmed: warmed.tiles, ms: Math.round(warmed.ms) }, 'tiles ready');
    const g0 = performance.now();
    geo.geocoder = GeocodeIndex.fromExtract(geo.extract);
    log.info({ ...geo.geocoder.stats(), ms: Math.round(performance.now() - g0) }, 'geocoder ready');
    if ((await geo.store.count()) === 0) {
      const r = await seedBusinesses(geo.store, geo.extract.pois, config.geo.seedTz);
      log.info({ ...r }, 'businesses seeded from the osm extract');
    }
  }
  await geo.directory.start();
  log.info({ businesses: geo.directory.size, index: config.geo.index }, 'search index loaded');
  await geo.fences.directory.start();
  log.info({ fences: geo.fences.directory.index.size }, 'fence index loaded');
  if (config.geo.osmPath !== '') {
    ctx.routing = await loadRoutingData(config.geo.osmPath, config.routing.tilesDir, config.routing.tileCache, ctx.engine, log, config.routing.lazyMinNodes);
    const navigation = new NavigationService(ctx.engine, ctx.routing, config.navigation, log, Date.now, ctx.sends);
    navigation.start();
    ctx.metrics.watchNavigation(navigation);
    ctx.navigation = navigation;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
