import { channels, type Engine } from '@locus/engine';
import { encodeBatch, type ResolvedBatch } from '@locus/routing';
import type { EdgeTiles } from './edge-tiles.js';

/**
 * Split an accepted traffic batch by routing tile and publish each part on its tile's channel. The
 * parts carry the speeds themselves, so a gateway that hears a tile event before the batch on the
 * global traffic channel (no order between channels on a cluster) can apply them first.
 */
export async function publishTileTraffic(engine: Engine, tiles: EdgeTiles, batch: ResolvedBatch, graphVersion: string): Promise<number> {
  const n = batch.edges.length;
  const tileOf = new Int32Array(n);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const t = tiles.tileOf(batch.edges[i]!);
    tileOf[i] = t;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const parts = new Map<number, { b: ResolvedBatch; k: number }>();
  for (const [t, c] of counts) {
    parts.set(t, { b: { edges: new Uint32Array(c), speeds: new Float32Array(c), expires: new Float64Array(c) }, k: 0 });
  }
  for (let i = 0; i < n; i++) {
    const p = parts.get(tileOf[i]!)!;
    p.b.edges[p.k] = batch.edges[i]!;
    p.b.speeds[p.k] = batch.speeds[i]!;
    p.b.expires[p.k] = batch.expires[i]!;
    p.k++;
  }
  await Promise.all([...parts].map(([t, p]) => engine.bus.publish(channels.navTile(tiles.names[t]!), encodeBatch(p.b, graphVersion, 0))));
  return parts.size;
}
