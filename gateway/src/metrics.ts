import type { NavigationStats } from './navigation/navigation-service.js';
import type { BusinessDirectory } from '@locus/geo';
import { readdir } from 'node:fs/promises';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelTally } from './label-tally.js';
import { TallyHistogram } from './tally-histogram.js';

/**
 * Per-delivery counts are plain numbers bumped on the fan-out path and copied into the Prometheus
 * counters when they are scraped (collect), so a delivery costs one integer add.
 */
export interface HotCounters {
  deliveries: number;
  droppedStale: number;
}

/**
 * Prometheus metrics. Per-message counts go through plain numbers too (countIn, countOut).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly hot: HotCounters = { deliveries: 0, droppedStale: 0 };
  private readonly synced: HotCounters = { deliveries: 0, droppedStale: 0 };
  readonly connections = new Gauge({ name: 'locus_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  /** Messages received and sent, by type (countIn / countOut; in the counters below when scraped). */
  private readonly inByType = new LabelTally();
  private readonly outByType = new LabelTally();
  readonly messagesIn: Counter<'type'>;
  readonly messagesOut: Counter<'type'>;
  readonly deliveries: Counter;
  readonly dropped: Counter<'reason'>;
  /** Observed once per update fanned out: a TallyHistogram (prom-client's observe was per-call garbage). */
  readonly latency = new TallyHistogram(
    'locus_update_latency_seconds',
    'Time from a location update being accepted (any gateway) to its fan-out on this gateway',
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    this.registry,
  );
  readonly engineErrors = new Counter({
    name: 'locus_engine_errors_total',
    help: 'Errors reported by the engine (connection loss, failed commands)',
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'locus_errors_total',
    help: 'Error replies sent, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: 'locus_closes_total',
    help: 'Connections closed by the server, by close code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: 'locus_engine_subscriptions',
    help: 'Channels this gateway is subscribed to at the engine',
    registers: [this.registry],
  });
  /** A message received, by its type (or why it was refused: rate_limited, too_large, invalid, shed). */
  countIn(type: string): void {
    this.inByType.add(type);
  }

  /** A message sent (other than friend_loc, counted in `hot`), by type. */
  countOut(type: string): void {
    this.outByType.add(type);
  }

  readonly localUsers = new Gauge({ name: 'locus_local_users', help: 'Distinct users connected here', registers: [this.registry] });

  /** Navigation sessions, the tiles they listen to, and the traffic work they cause, read at scrape. */
  watchNavigation(nav: { snapshot(): NavigationStats }): void {
    const seen = { examined: 0, affected: 0, repaired: 0, patched: 0, etaPushes: 0, trafficEvents: 0 };
    const counter = (name: string, help: string, field: keyof typeof seen) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          const v = nav.snapshot()[field];
          this.inc(v - seen[field]);
          seen[field] = v;
        },
      });
    counter('locus_nav_traffic_events_total', 'Per-tile traffic events handled by this gateway', 'trafficEvents');
    counter('locus_nav_sessions_examined_total', 'Navigation sessions looked at because of a traffic event', 'examined');
    counter('locus_nav_sessions_affected_total', 'Navigation sessions whose remaining route a traffic event touched', 'affected');
    counter('locus_nav_closure_repairs_total', 'Closure reroutes answered by repairing the route round the closure (a shared detour search)', 'repaired');
    counter('locus_nav_route_patches_total', 'New routes sent as a change to the client\'s route (nav_patch) instead of whole', 'patched');
    counter('locus_nav_eta_updates_total', 'ETA updates pushed because of traffic', 'etaPushes');
    const reroutesSeen: Record<string, number> = {};
    new Counter({
      name: 'locus_nav_reroutes_total',
      help: 'New routes pushed to navigating users, by reason',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        for (const [reason, v] of Object.entries(nav.snapshot().reroutes)) {
          this.labels(reason).inc(v - (reroutesSeen[reason] ?? 0));
          reroutesSeen[reason] = v;
        }
      },
    });
    new Gauge({
      name: 'locus_nav_sessions',
      help: 'Navigation sessions held by this gateway',
      registers: [this.registry],
      collect() {
        this.set(nav.snapshot().sessions);
      },
    });
    new Gauge({
      name: 'locus_nav_traffic_answer_ms',
      help: 'Milliseconds from the last burst of traffic events to every touched navigation session having its answer sent',
      registers: [this.registry],
      collect() {
        this.set(nav.snapshot().lastAnswerMs);
      },
    });
    new Gauge({
      name: 'locus_nav_backlog',
      help: 'Navigation sessions with traffic or timer work still queued on this gateway (answers, route installs, exact re-checks, proactive checks, record writes)',
      registers: [this.registry],
      collect() {
        this.set(nav.snapshot().backlog);
      },
    });
    new Gauge({
      name: 'locus_nav_tiles',
      help: 'Routing tiles whose traffic channel this gateway listens to for navigation',
      registers: [this.registry],
      collect() {
        this.set(nav.snapshot().tiles);
      },
    });
  }

  /** Search cell-cache hits and misses, and the businesses indexed, read from the directory at scrape. */
  watchSearchCache(directory: BusinessDirectory): void {
    let hits = 0;
    let misses = 0;
    new Counter({
      name: 'locus_search_cache_hits_total',
      help: 'Nearby-search record lookups answered by the cell cache',
      registers: [this.registry],
      collect() {
        this.inc(directory.cache.hits - hits);
        hits = directory.cache.hits;
      },
    });
    new Counter({
      name: 'locus_search_cache_misses_total',
      help: 'Nearby-search cell loads from the engine (cache misses)',
      registers: [this.registry],
      collect() {
        this.inc(directory.cache.misses - misses);
        misses = directory.cache.misses;
      },
    });
    new Gauge({
      name: 'locus_businesses',
      help: 'Businesses in this gateway search index',
      registers: [this.registry],
      collect() {
        this.set(directory.size);
      },
    });
  }

  constructor() {
    const hot = this.hot;
    const synced = this.synced;
    // Each friend_loc sent is one delivery: both counters follow the same hot number.
    let outSynced = 0;
    const inByType = this.inByType;
    const outByType = this.outByType;
    this.messagesIn = new Counter({
      name: 'locus_messages_in_total',
      help: 'Inbound WebSocket messages by type (invalid = failed to decode)',
      labelNames: ['type'],
      registers: [this.registry],
      collect() {
        inByType.moveInto(this);
      },
    });
    this.messagesOut = new Counter({
      name: 'locus_messages_out_total',
      help: 'Outbound WebSocket messages by type',
      labelNames: ['type'],
      registers: [this.registry],
      collect() {
        this.labels('friend_loc').inc(hot.deliveries - outSynced);
        outSynced = hot.deliveries;
        outByType.moveInto(this);
      },
    });
    this.deliveries = new Counter({
      name: 'locus_fanout_deliveries_total',
      help: 'Friend location updates delivered to local connections',
      registers: [this.registry],
      collect() {
        this.inc(hot.deliveries - synced.deliveries);
        synced.deliveries = hot.deliveries;
      },
    });
    this.dropped = new Counter({
      name: 'locus_dropped_updates_total',
      help: 'Friend location updates not sent: superseded while the consumer was slow (stale) or lost with a closed consumer',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.labels('stale').inc(hot.droppedStale - synced.droppedStale);
        synced.droppedStale = hot.droppedStale;
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'locus_' });
    // prom-client lists /proc/self/fd synchronously on every scrape: with 10,000 sockets that is
    // ~16 ms of blocked event loop per scrape (100k: ~160 ms). Replaced by a count read in the
    // background, at most every OPEN_FDS_REFRESH_MS, and reported as of the last read.
    if (process.platform === 'linux') {
      this.registry.removeSingleMetric('locus_process_open_fds');
      let fds = 0;
      let readAt = -Infinity;
      let reading = false;
      const gauge = new Gauge({
        name: 'locus_process_open_fds',
        help: `Number of open file descriptors (read in the background, at most ${OPEN_FDS_REFRESH_MS / 1000} s old)`,
        registers: [this.registry],
        collect() {
          this.set(fds);
          refresh();
        },
      });
      const refresh = (): void => {
        if (reading || performance.now() - readAt < OPEN_FDS_REFRESH_MS) return;
        reading = true;
        readdir('/proc/self/fd')
          .then((list) => {
            fds = list.length - 1; // the descriptor the listing itself used
            readAt = performance.now();
            gauge.set(fds);
          })
          .catch(() => undefined)
          .finally(() => {
            reading = false;
          });
      };
      refresh(); // so the first scrape already has a figure
    }
  }
}

const OPEN_FDS_REFRESH_MS = 10_000;
