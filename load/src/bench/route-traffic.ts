import { decodeBatch, encodeBatch, LiveSpeedTable, resolveBatch, Rng, TrafficBody, WayIndex, type RoadGraph } from '@locus/routing';
import { ms, percentile } from './route-stats.js';

/**
 * How long a 10k-edge traffic batch takes, the paths POST /v1/traffic runs (validate the body,
 * resolve it against the graph, apply to the LiveSpeedTable overlay) and a gateway receiving the
 * batch from the engine runs (decode, apply). Random edges across the whole graph, so the writes miss
 * the cache as real batches would. p50 / p99 over `repeats` batches (a fresh batch each time).
 */
export function trafficBatchLines(graph: RoadGraph, rng: Rng, repeats = 200, size = 10_000): string[] {
  const live = new LiveSpeedTable(graph.edgeCount);
  const ways = new WayIndex(graph);
  const version = 'bench';
  const apply: number[] = [];
  const receive: number[] = [];
  const post: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const now = Date.now();
    const updates = Array.from({ length: size }, () => ({ edge: rng.int(graph.edgeCount), speed: rng.int(80), ttl: 600 }));
    let t0 = performance.now();
    const batch = resolveBatch(TrafficBody.parse({ updates }), graph, ways, now);
    const resolved = performance.now() - t0;
    t0 = performance.now();
    live.apply(batch.edges, batch.speeds, batch.expires, now);
    const applied = performance.now() - t0;
    apply.push(applied);
    post.push(resolved + applied);
    const bytes = encodeBatch(batch, version, r);
    t0 = performance.now();
    const back = decodeBatch(bytes, version)!;
    live.apply(back.edges, back.speeds, back.expires, now);
    receive.push(performance.now() - t0);
  }
  const p = (xs: number[]): string => `p50 ${ms(percentile(xs, 0.5))}, p99 ${ms(percentile(xs, 0.99))}`;
  return [
    `traffic batch of ${size.toLocaleString('en-US')} random edges, ${repeats} batches:`,
    `  LiveSpeedTable.apply (the overlay write): ${p(apply)}`,
    `  a receiving gateway (decode from the engine + apply): ${p(receive)}`,
    `  the POST path (validate the JSON body + resolve + apply, before the engine round trip): ${p(post)}`,
  ];
}
