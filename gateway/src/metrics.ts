import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics. Hot paths use pre-bound label children (no label lookup per message).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({ name: 'locus_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly messagesIn = new Counter({
    name: 'locus_messages_in_total',
    help: 'Inbound WebSocket messages by type (invalid = failed to decode)',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly messagesOut = new Counter({
    name: 'locus_messages_out_total',
    help: 'Outbound WebSocket messages by type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly deliveries = new Counter({
    name: 'locus_fanout_deliveries_total',
    help: 'Friend location updates delivered to local connections',
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: 'locus_dropped_updates_total',
    help: 'Friend location updates not sent: superseded while the consumer was slow (stale) or lost with a closed consumer',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'locus_update_latency_seconds',
    help: 'Time from a location update being accepted (any gateway) to its fan-out on this gateway',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
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
  readonly localUsers = new Gauge({ name: 'locus_local_users', help: 'Distinct users connected here', registers: [this.registry] });

  readonly outFriendLoc = this.messagesOut.labels('friend_loc');
  readonly droppedStale = this.dropped.labels('stale');

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'locus_' });
  }
}
