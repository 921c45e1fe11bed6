import { randomInt } from 'node:crypto';
import { channels, keys, type BusListener, type Engine } from '@locus/engine';
import type { RoadGraph } from '../graph/road-graph.js';
import { LiveSpeedTable } from './live-speeds.js';
import { decodeBatch, encodeBatch, MAX_EXPIRY_MS, type ResolvedBatch } from './traffic-batch.js';
import { graphVersion } from './way-index.js';

/**
 * Live traffic shared by every gateway: an accepted batch is appended to the engine's traffic log
 * (for gateways that start later) and published on the traffic channel (for those running), then
 * applied to each gateway's LiveSpeedTable overlay. The writing gateway applies it before answering, so
 * the next query after an accepted update sees it.
 */
export class TrafficFeed {
  readonly live: LiveSpeedTable;
  readonly graphVersion: string;
  /** Milliseconds the last applied batch took (the "10k edges" figure). */
  lastApplyMs = 0;
  /** Nonces of batches this gateway submitted and already applied (their echo is skipped). */
  private readonly own = new Set<number>();
  private readonly onBatch: BusListener = (_c, payload) => {
    const b = decodeBatch(payload, this.graphVersion);
    if (!b) return;
    if (b.nonce !== undefined && this.own.delete(b.nonce)) return;
    this.applyNow(b);
  };

  constructor(
    private readonly engine: Engine,
    graph: RoadGraph,
    private readonly now: () => number = Date.now,
    /** The build's version when the graph cannot compute it (a lazily loaded one: the tile manifest's). */
    version?: string,
  ) {
    this.live = new LiveSpeedTable(graph.edgeCount);
    this.graphVersion = version ?? graphVersion(graph);
  }

  /** Subscribe, then replay the log: nothing published in between is missed. */
  async start(): Promise<void> {
    await this.engine.bus.subscribe(channels.traffic(), this.onBatch);
    const now = this.now();
    let after: string | undefined;
    for (;;) {
      const page = await this.engine.streams.range(keys.trafficLog(), now - MAX_EXPIRY_MS, now, 500, after);
      for (const entry of page) {
        const b = decodeBatch(entry.value, this.graphVersion);
        if (b) this.applyNow(b);
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!.id;
    }
  }

  async stop(): Promise<void> {
    await this.engine.bus.unsubscribe(channels.traffic(), this.onBatch);
  }

  /** Store, announce and apply a validated batch; returns the number of edges applied. */
  async submit(b: ResolvedBatch): Promise<number> {
    const nonce = randomInt(0, 2 ** 32);
    const bytes = encodeBatch(b, this.graphVersion, nonce);
    await this.engine.streams.append(keys.trafficLog(), bytes, { retentionMs: MAX_EXPIRY_MS, maxLen: 100_000 });
    const applied = this.applyNow(b);
    this.own.add(nonce);
    await this.engine.bus.publish(channels.traffic(), bytes);
    return applied;
  }

  private applyNow(b: ResolvedBatch): number {
    const t0 = performance.now();
    const n = this.live.apply(b.edges, b.speeds, b.expires, this.now());
    this.lastApplyMs = performance.now() - t0;
    return n;
  }
}
