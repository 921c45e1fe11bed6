import type { Engine } from '@locus/engine';
import type { BusinessDirectory, BusinessStore, FenceDirectory, FenceStore, FenceTracker, GeocodeIndex, OsmExtract, TileService } from '@locus/geo';
import type { Presence } from '@locus/presence';
import type { TokenVerifier } from './auth.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { NavigationService } from './navigation/navigation-service.js';
import type { RoutingData } from './routing/routing-data.js';
import type { Connection } from './ws/connection.js';
import type { OwnTopics } from './ws/own-topic.js';
import type { SendBatch } from './ws/send-batch.js';

export interface GeoServices {
  readonly store: BusinessStore;
  readonly directory: BusinessDirectory;
  readonly fences: { readonly store: FenceStore; readonly directory: FenceDirectory; readonly tracker: FenceTracker };
  /** The OSM extract read at start (LOCUS_SEED_OSM), or null when none is configured. */
  extract: OsmExtract | null;
  /** Vector tiles from the extract, or null when none is configured. */
  tiles: TileService | null;
  /** Forward/reverse geocoding over the extract, or null when none is configured. */
  geocoder: GeocodeIndex | null;
}

/** Everything a request or a connection needs, built once by createGateway. */
export interface GatewayContext {
  readonly config: Config;
  readonly engine: Engine;
  readonly presence: Presence;
  readonly geo: GeoServices;
  /** Null until loaded at start, and when no OSM extract is configured. */
  routing: RoutingData | null;
  /** Navigation sessions: null while routing is not loaded (or not configured). */
  navigation: NavigationService | null;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly verifier: TokenVerifier;
  readonly connections: Set<Connection>;
  /** Set once a drain started: no new connections, readiness fails. */
  draining: boolean;
  /** Handlers still running (awaited before the engine closes on drain). */
  inflight: number;
  /** Each socket's own uWS topic, for friend updates (set once the uWS app exists). */
  topics: OwnTopics | null;
  /** Frames held while many sessions are answered at once (see SendBatch). */
  readonly sends: SendBatch;
}
