import { accessSync, constants, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseClusterNodes, type ClusterNodeAddress } from '@locus/engine';
import { z } from 'zod';

/**
 * All configuration comes from the environment, validated at start-up. A bad value stops the process
 * with an error naming the variable, never a silent default. README "Configuration" lists every variable.
 */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);

/** The sample data set shipped in data/ (© OpenStreetMap contributors, ODbL). */
const DEFAULT_SEED = fileURLToPath(new URL('../../data/monaco.osm.pbf', import.meta.url));
/** Routing tiles are built here from the extract when missing (git-ignored). */
const DEFAULT_TILES = fileURLToPath(new URL('../../data/tiles', import.meta.url));

const EnvSchema = z.object({
  LOCUS_HOST: z.string().min(1).default('0.0.0.0'),
  LOCUS_PORT: int(0, 65535).default(8080),
  LOCUS_WORKERS: z.union([z.literal('auto'), int(1, 64)], { error: 'must be a whole number 1–64, or auto' }).default(1),
  LOCUS_WORKER_PORT_BASE: int(0, 65535).default(0),
  LOCUS_WORKER_INDEX: int(0, 63).optional(),
  LOCUS_ENGINE: z.enum(['memory', 'redis', 'redis-cluster']).default('memory'),
  LOCUS_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  LOCUS_REDIS_PREFIX: z.string().max(64).default('locus:'),
  LOCUS_REDIS_CLUSTER_NODES: z.string().optional(),
  LOCUS_REDIS_WRITE_WINDOW_MS: int(0, 50).default(1),
  LOCUS_HELPER_NICE: int(0, 19).default(19),
  LOCUS_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  LOCUS_JWT_PUBLIC_KEY: z.string().optional(),
  LOCUS_JWT_PUBLIC_KEY_FILE: z.string().optional(),
  LOCUS_JWT_ISSUER: z.string().optional(),
  LOCUS_JWT_AUDIENCE: z.string().optional(),
  LOCUS_TOKEN_WARN_SEC: int(1, 3600).default(60),
  LOCUS_MAX_FRAME_BYTES: int(256, 16 * 1024 * 1024).default(16 * 1024),
  LOCUS_RATE_PER_SEC: num(0.1, 100_000).default(20),
  LOCUS_RATE_BURST: int(1, 100_000).default(40),
  LOCUS_FLOOD_LIMIT: int(1, 1_000_000).default(100),
  LOCUS_BAD_MESSAGE_LIMIT: int(1, 10_000).default(20),
  LOCUS_MAX_INFLIGHT: int(1, 100_000).default(64),
  LOCUS_MAX_FRIENDS: int(1, 100_000).default(1000),
  LOCUS_BACKPRESSURE_SOFT_BYTES: int(1024, 1 << 30).default(64 * 1024),
  LOCUS_BACKPRESSURE_HARD_BYTES: int(4096, 1 << 30).default(1024 * 1024),
  LOCUS_SLOW_CONSUMER_MS: int(100, 3_600_000).default(30_000),
  LOCUS_IDLE_TIMEOUT_SEC: int(8, 960).default(60),
  LOCUS_DRAIN_MS: int(0, 600_000).default(10_000),
  LOCUS_LOCATION_TTL_SEC: int(1, 7 * 86_400).default(600),
  LOCUS_DEFAULT_RADIUS_M: num(1, 1_000_000).default(8000),
  LOCUS_HISTORY_RETENTION_SEC: int(60, 366 * 86_400).default(7 * 86_400),
  LOCUS_HISTORY_MAX_PER_USER: int(1, 10_000_000).default(10_000),
  LOCUS_MAX_FIX_AGE_SEC: int(1, 30 * 86_400).default(86_400),
  LOCUS_MAX_FIX_FUTURE_SEC: int(0, 86_400).default(60),
  LOCUS_HTTP_MAX_BODY_BYTES: int(256, 64 * 1024 * 1024).default(64 * 1024),
  LOCUS_SEED_OSM: z.string().default(DEFAULT_SEED),
  LOCUS_SEED_TZ: z.string().min(1).default('Europe/Monaco'),
  LOCUS_SEARCH_INDEX: z.enum(['geohash', 's2']).default('geohash'),
  LOCUS_SEARCH_CACHE_CELLS: int(1, 10_000_000).default(4096),
  LOCUS_ROUTING_TILES_DIR: z.string().min(1).default(DEFAULT_TILES),
  LOCUS_ROUTING_TILE_CACHE: int(1, 1_000_000).default(512),
  LOCUS_ROUTING_LAZY_MIN_NODES: int(0, 2_000_000_000).default(1_000_000),
  LOCUS_FENCE_DWELL_SEC: int(1, 86_400).default(300),
  LOCUS_MAX_FENCES: int(1, 100_000).default(100),
  LOCUS_NAV_GRACE_SEC: int(10, 86_400).default(600),
  LOCUS_NAV_PROGRESS_MS: int(100, 600_000).default(5000),
  LOCUS_NAV_OFF_ROUTE_M: num(5, 1000).default(30),
  LOCUS_NAV_OFF_ROUTE_FIXES: int(1, 20).default(3),
  LOCUS_NAV_ARRIVE_M: num(5, 1000).default(30),
  LOCUS_NAV_REROUTE_MIN_MS: int(0, 3_600_000).default(10_000),
  LOCUS_NAV_REROUTE_MAX: int(1, 1000).default(5),
  LOCUS_NAV_REROUTE_WINDOW_SEC: int(1, 86_400).default(300),
  LOCUS_NAV_FASTER_SEC: num(0, 86_400).default(120),
  LOCUS_NAV_FASTER_PCT: num(0, 100).default(10),
  LOCUS_NAV_PROACTIVE_SEC: int(10, 86_400).default(180),
  LOCUS_NAV_PROACTIVE_MIN_TRIP_SEC: int(0, 86_400).default(900),
  LOCUS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOCUS_INSTANCE_ID: z.string().min(1).max(64).optional(),
  LOCUS_DEMO: z.enum(['on', 'off', 'auto']).default('off'),
  LOCUS_DEMO_SIM: z.enum(['on', 'off', 'auto']).default('off'),
  LOCUS_DEMO_SIM_CARS: int(1, 50).default(4),
  LOCUS_DEMO_SIM_TICK_MS: int(100, 60_000).default(1000),
  NODE_ENV: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

/** Navigation sessions: see docs/navigation.md for what each knob does. */
export interface NavigationConfig {
  /** A session outlives its user's last connection by this long (reconnect to any gateway). */
  graceMs: number;
  /** At most one progress push per this interval (plus one at each maneuver passed). */
  progressMs: number;
  /** Off-route: farther than this + the fix's accuracy, for `offRouteFixes` consecutive fixes. */
  offRouteM: number;
  offRouteFixes: number;
  /** Arrived when this close to the destination along the route. */
  arriveM: number;
  /** Off-route reroute storm limit: a minimum gap, and at most `rerouteMax` per window. */
  rerouteMinMs: number;
  rerouteMax: number;
  rerouteWindowMs: number;
  /** A new route is pushed when it saves at least this many seconds, or this share of the time left. */
  fasterSec: number;
  fasterPct: number;
  /** On trips with more than `proactiveMinTripSec` left, look for a faster route this often. */
  proactiveMs: number;
  proactiveMinTripSec: number;
}

export interface JwtConfig {
  /** HS256 shared secret. */
  secret?: string;
  /** RS256 public key (PEM). */
  publicKey?: string;
  issuer?: string;
  audience?: string;
  /** True when running on the built-in development secret. */
  devSecret: boolean;
}

export interface Config {
  host: string;
  port: number;
  /**
   * Processes serving the one port (SO_REUSEPORT: the kernel spreads new connections over them).
   * More than one needs a shared engine; see workers.ts.
   */
  workers: number;
  /** In a worker: its index (set by the supervisor, LOCUS_WORKER_INDEX); null in a single-process gateway or the supervisor. */
  worker: number | null;
  /** Worker i also listens on this + i, so each worker's /metrics and /readyz can be reached (0: not). */
  workerPortBase: number;
  /** Nice value for the process's threads other than the main one (0: leave them; see helper-priority.ts). */
  helperNice: number;
  engine:
    | { kind: 'memory' }
    | { kind: 'redis'; url: string; prefix: string; writeWindowMs: number }
    | { kind: 'redis-cluster'; nodes: ClusterNodeAddress[]; prefix: string; writeWindowMs: number };
  jwt: JwtConfig;
  tokenWarnMs: number;
  limits: {
    maxFrameBytes: number;
    ratePerSec: number;
    burst: number;
    floodLimit: number;
    badMessageLimit: number;
    maxInflight: number;
    maxFriends: number;
    softBackpressure: number;
    hardBackpressure: number;
    slowConsumerMs: number;
    idleTimeoutSec: number;
    httpMaxBodyBytes: number;
  };
  drainMs: number;
  presence: {
    locationTtlMs: number;
    defaultRadiusM: number;
    historyRetentionMs: number;
    historyMaxLen: number;
    maxFriends: number;
    maxFixAgeMs: number;
    maxFixFutureMs: number;
  };
  geo: {
    /** OSM extract read at start for businesses (when the store is empty), tiles and geocoding; '' = none. */
    osmPath: string;
    /** Time zone given to imported opening hours (OSM has none). */
    seedTz: string;
    index: 'geohash' | 's2';
    cacheCells: number;
    /** Seconds inside a fence before `dwell`, when the fence sets none. */
    fenceDwellSec: number;
    /** Fences per user. */
    maxFences: number;
  };
  routing: {
    /** Where routing tiles live (built from geo.osmPath when missing or stale). */
    tilesDir: string;
    /** Tiles kept in the LRU. */
    tileCache: number;
    /** Graphs with at least this many nodes load their tiles lazily (as searches reach them); smaller ones at start. */
    lazyMinNodes: number;
  };
  /** The browser demo's development-only parts (the page itself is always served at /). */
  demo: {
    /** POST /demo/session mints viewer and operator tokens: only on the development secret. */
    enabled: boolean;
    /** Simulated cars driving Monaco roads over the socket (needs `enabled`). */
    sim: boolean;
    simCars: number;
    simTickMs: number;
  };
  navigation: NavigationConfig;
  logLevel: Env['LOCUS_LOG_LEVEL'];
  instanceId: string;
}

/**
 * The development secret lets `npm start` and `npm run token` work with no setup. It is refused when
 * NODE_ENV=production, so a production gateway cannot run with a publicly known key.
 */
export const DEV_JWT_SECRET = 'locus-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, `${issue.message} (got ${JSON.stringify(env[variable] ?? null)})`);
  }
  const e = parsed.data;
  let publicKey = e.LOCUS_JWT_PUBLIC_KEY;
  if (e.LOCUS_JWT_PUBLIC_KEY_FILE) {
    try {
      publicKey = readFileSync(e.LOCUS_JWT_PUBLIC_KEY_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError('LOCUS_JWT_PUBLIC_KEY_FILE', `cannot read ${e.LOCUS_JWT_PUBLIC_KEY_FILE}: ${(err as Error).message}`);
    }
  }
  if (publicKey !== undefined && !publicKey.includes('BEGIN PUBLIC KEY') && !publicKey.includes('BEGIN RSA PUBLIC KEY')) {
    throw new ConfigError(e.LOCUS_JWT_PUBLIC_KEY_FILE ? 'LOCUS_JWT_PUBLIC_KEY_FILE' : 'LOCUS_JWT_PUBLIC_KEY', 'must be a PEM public key');
  }
  const devSecret = e.LOCUS_JWT_SECRET === undefined && publicKey === undefined;
  if (devSecret && e.NODE_ENV === 'production') {
    throw new ConfigError('LOCUS_JWT_SECRET', 'set LOCUS_JWT_SECRET or LOCUS_JWT_PUBLIC_KEY(_FILE) when NODE_ENV=production');
  }
  if (e.LOCUS_SEED_OSM !== '') {
    try {
      accessSync(e.LOCUS_SEED_OSM, constants.R_OK);
    } catch (err) {
      throw new ConfigError('LOCUS_SEED_OSM', `cannot read ${e.LOCUS_SEED_OSM}: ${(err as Error).message}`);
    }
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: e.LOCUS_SEED_TZ });
  } catch {
    throw new ConfigError('LOCUS_SEED_TZ', `not an IANA time zone: ${e.LOCUS_SEED_TZ}`);
  }
  if (e.LOCUS_BACKPRESSURE_HARD_BYTES <= e.LOCUS_BACKPRESSURE_SOFT_BYTES) {
    throw new ConfigError('LOCUS_BACKPRESSURE_HARD_BYTES', 'must be larger than LOCUS_BACKPRESSURE_SOFT_BYTES');
  }
  // The demo endpoint hands out operator tokens to anyone who asks: never on a real key. `auto`
  // (what npm start sets) turns it on exactly when the gateway runs on the development secret.
  if (e.LOCUS_DEMO === 'on' && !devSecret) {
    throw new ConfigError('LOCUS_DEMO', 'on only with the built-in development JWT secret (unset LOCUS_JWT_SECRET and LOCUS_JWT_PUBLIC_KEY*): it mints tokens for anyone');
  }
  const demoEnabled = e.LOCUS_DEMO === 'on' || (e.LOCUS_DEMO === 'auto' && devSecret);
  if (e.LOCUS_DEMO_SIM === 'on' && !demoEnabled) {
    throw new ConfigError('LOCUS_DEMO_SIM', 'needs the demo on (LOCUS_DEMO=on): the simulated cars befriend demo viewers');
  }
  const demoSim = e.LOCUS_DEMO_SIM === 'on' || (e.LOCUS_DEMO_SIM === 'auto' && demoEnabled);
  const engine = engineConfig(e);
  // auto: one worker per core this process may use (at most 64).
  const workers = e.LOCUS_WORKERS === 'auto' ? Math.min(64, availableParallelism()) : e.LOCUS_WORKERS;
  if (workers > 1 && engine.kind === 'memory') {
    throw new ConfigError('LOCUS_WORKERS', 'more than 1 needs LOCUS_ENGINE=redis or redis-cluster: the memory engine lives inside one process, so workers would not see each other\'s users');
  }
  if (e.LOCUS_WORKER_PORT_BASE !== 0 && e.LOCUS_WORKER_PORT_BASE + workers - 1 > 65535) {
    throw new ConfigError('LOCUS_WORKER_PORT_BASE', `+ LOCUS_WORKERS - 1 must be a port (≤ 65535)`);
  }
  const jwt: JwtConfig = { devSecret };
  if (devSecret) jwt.secret = DEV_JWT_SECRET;
  else if (e.LOCUS_JWT_SECRET !== undefined) jwt.secret = e.LOCUS_JWT_SECRET;
  if (publicKey !== undefined) jwt.publicKey = publicKey;
  if (e.LOCUS_JWT_ISSUER !== undefined) jwt.issuer = e.LOCUS_JWT_ISSUER;
  if (e.LOCUS_JWT_AUDIENCE !== undefined) jwt.audience = e.LOCUS_JWT_AUDIENCE;
  return {
    host: e.LOCUS_HOST,
    port: e.LOCUS_PORT,
    workers,
    worker: e.LOCUS_WORKER_INDEX ?? null,
    workerPortBase: e.LOCUS_WORKER_PORT_BASE,
    helperNice: e.LOCUS_HELPER_NICE,
    engine,
    jwt,
    tokenWarnMs: e.LOCUS_TOKEN_WARN_SEC * 1000,
    limits: {
      maxFrameBytes: e.LOCUS_MAX_FRAME_BYTES,
      ratePerSec: e.LOCUS_RATE_PER_SEC,
      burst: e.LOCUS_RATE_BURST,
      floodLimit: e.LOCUS_FLOOD_LIMIT,
      badMessageLimit: e.LOCUS_BAD_MESSAGE_LIMIT,
      maxInflight: e.LOCUS_MAX_INFLIGHT,
      maxFriends: e.LOCUS_MAX_FRIENDS,
      softBackpressure: e.LOCUS_BACKPRESSURE_SOFT_BYTES,
      hardBackpressure: e.LOCUS_BACKPRESSURE_HARD_BYTES,
      slowConsumerMs: e.LOCUS_SLOW_CONSUMER_MS,
      idleTimeoutSec: e.LOCUS_IDLE_TIMEOUT_SEC,
      httpMaxBodyBytes: e.LOCUS_HTTP_MAX_BODY_BYTES,
    },
    drainMs: e.LOCUS_DRAIN_MS,
    presence: {
      locationTtlMs: e.LOCUS_LOCATION_TTL_SEC * 1000,
      defaultRadiusM: e.LOCUS_DEFAULT_RADIUS_M,
      historyRetentionMs: e.LOCUS_HISTORY_RETENTION_SEC * 1000,
      historyMaxLen: e.LOCUS_HISTORY_MAX_PER_USER,
      maxFriends: e.LOCUS_MAX_FRIENDS,
      maxFixAgeMs: e.LOCUS_MAX_FIX_AGE_SEC * 1000,
      maxFixFutureMs: e.LOCUS_MAX_FIX_FUTURE_SEC * 1000,
    },
    geo: {
      osmPath: e.LOCUS_SEED_OSM,
      seedTz: e.LOCUS_SEED_TZ,
      index: e.LOCUS_SEARCH_INDEX,
      cacheCells: e.LOCUS_SEARCH_CACHE_CELLS,
      fenceDwellSec: e.LOCUS_FENCE_DWELL_SEC,
      maxFences: e.LOCUS_MAX_FENCES,
    },
    routing: { tilesDir: e.LOCUS_ROUTING_TILES_DIR, tileCache: e.LOCUS_ROUTING_TILE_CACHE, lazyMinNodes: e.LOCUS_ROUTING_LAZY_MIN_NODES },
    demo: { enabled: demoEnabled, sim: demoSim, simCars: e.LOCUS_DEMO_SIM_CARS, simTickMs: e.LOCUS_DEMO_SIM_TICK_MS },
    navigation: {
      graceMs: e.LOCUS_NAV_GRACE_SEC * 1000,
      progressMs: e.LOCUS_NAV_PROGRESS_MS,
      offRouteM: e.LOCUS_NAV_OFF_ROUTE_M,
      offRouteFixes: e.LOCUS_NAV_OFF_ROUTE_FIXES,
      arriveM: e.LOCUS_NAV_ARRIVE_M,
      rerouteMinMs: e.LOCUS_NAV_REROUTE_MIN_MS,
      rerouteMax: e.LOCUS_NAV_REROUTE_MAX,
      rerouteWindowMs: e.LOCUS_NAV_REROUTE_WINDOW_SEC * 1000,
      fasterSec: e.LOCUS_NAV_FASTER_SEC,
      fasterPct: e.LOCUS_NAV_FASTER_PCT,
      proactiveMs: e.LOCUS_NAV_PROACTIVE_SEC * 1000,
      proactiveMinTripSec: e.LOCUS_NAV_PROACTIVE_MIN_TRIP_SEC,
    },
    logLevel: e.LOCUS_LOG_LEVEL,
    instanceId: e.LOCUS_INSTANCE_ID ?? `gw-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  };
}

function engineConfig(e: Env): Config['engine'] {
  switch (e.LOCUS_ENGINE) {
    case 'memory':
      return { kind: 'memory' };
    case 'redis':
      return { kind: 'redis', url: e.LOCUS_REDIS_URL, prefix: e.LOCUS_REDIS_PREFIX, writeWindowMs: e.LOCUS_REDIS_WRITE_WINDOW_MS };
    case 'redis-cluster': {
      if (e.LOCUS_REDIS_CLUSTER_NODES === undefined || e.LOCUS_REDIS_CLUSTER_NODES.trim() === '') {
        throw new ConfigError('LOCUS_REDIS_CLUSTER_NODES', 'required with LOCUS_ENGINE=redis-cluster: comma-separated host:port of cluster nodes');
      }
      let nodes: ClusterNodeAddress[];
      try {
        nodes = parseClusterNodes(e.LOCUS_REDIS_CLUSTER_NODES);
      } catch (err) {
        throw new ConfigError('LOCUS_REDIS_CLUSTER_NODES', `${(err as Error).message} (expected host:port,host:port,…)`);
      }
      // A brace in the prefix would become every key's hash tag: the whole keyspace in one slot.
      if (/[{}]/.test(e.LOCUS_REDIS_PREFIX)) {
        throw new ConfigError('LOCUS_REDIS_PREFIX', 'must not contain { or } with LOCUS_ENGINE=redis-cluster');
      }
      return { kind: 'redis-cluster', nodes, prefix: e.LOCUS_REDIS_PREFIX, writeWindowMs: e.LOCUS_REDIS_WRITE_WINDOW_MS };
    }
  }
}

/** For entry points: the configuration, or the ConfigError's message on stderr and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
