import { channels, slotOf } from '@locus/engine';
import { testCluster, uniquePrefix, type TestCluster } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { allOpen, deliveriesResumed, friendPairs, ReadinessLog } from './testing/failure-scenario.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

/**
 * Failure test 1: a master of the cluster is killed (SIGKILL) under two gateway processes. Its replica
 * is promoted by the cluster (node timeout 1 s); the gateways keep every client connection, report
 * not-ready while a shard has no pub/sub, resubscribe on the promoted replica, and deliveries resume.
 * Target: deliveries resume within 5 s of the promotion. Runs on a private cluster (it kills nodes).
 */
describe('failure: a Redis Cluster master is killed', () => {
  const prefix = uniquePrefix('locus-fail-cluster');
  let t: TestCluster;
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  beforeAll(async () => {
    t = await testCluster({ own: true });
    const env = { LOCUS_ENGINE: 'redis-cluster', LOCUS_REDIS_CLUSTER_NODES: t.cluster.nodesEnv, LOCUS_REDIS_PREFIX: prefix, LOCUS_SEED_OSM: '' };
    [g1, g2] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([g1?.stop(), g2?.stop()]);
    await t?.release();
  });

  it('the replica is promoted; connections stay; /readyz goes 503 then 200; deliveries resume within 5 s of the promotion', async () => {
    const pairs = await friendPairs({ url: g1.url, token }, { url: g2.url, token }, 12);
    // Deliveries work before (this also subscribes everything).
    const before = await deliveriesResumed(pairs, 0, 5_000);
    expect(before).toBeGreaterThan(0);

    const victim = await t.cluster.ownerOf(slotOf(prefix + channels.location(pairs[0]!.moverId)));
    const replica = await t.cluster.replicaOf(victim);
    const ready = new ReadinessLog(g1.http);
    const killedAt = Date.now();
    await t.cluster.kill(victim);

    // promotedAt: first check that saw the replica as master; before lastReplicaCheck it certainly was not.
    let promotedAt = 0;
    let lastReplicaCheck = killedAt;
    while (promotedAt === 0) {
      if (Date.now() - killedAt > 20_000) throw new Error(`replica ${replica} not promoted within 20 s`);
      const checkStart = Date.now();
      if ((await t.cluster.role(replica)) === 'master') promotedAt = Date.now();
      else {
        lastReplicaCheck = checkStart;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const resumedAt = await deliveriesResumed(pairs, promotedAt, 15_000);
    await expect.poll(() => ready.samples.at(-1)?.status, { timeout: 10_000, interval: 100 }).toBe(200);
    await ready.stop();

    const notReadyAt = ready.first(503, killedAt);
    const readyAgainAt = ready.first(200, notReadyAt ?? killedAt);
    console.log(
      `[failure-cluster] promotion ${promotedAt - killedAt} ms after the kill; deliveries resumed ${resumedAt - promotedAt} ms after the promotion; ` +
        `/readyz 503 from +${(notReadyAt ?? killedAt) - killedAt} ms to +${(readyAgainAt ?? 0) - killedAt} ms`,
    );
    expect(notReadyAt).toBeDefined();
    expect(readyAgainAt).toBeGreaterThan(notReadyAt!);
    // Not ready the whole time the shard had no master (a sample's time is when its answer came).
    expect(ready.samples.filter((s) => s.at > notReadyAt! && s.at < lastReplicaCheck && s.status === 200)).toEqual([]);
    expect(resumedAt - promotedAt).toBeLessThanOrEqual(5_000);
    expect(allOpen(pairs)).toBe(true);
    for (const p of pairs) {
      p.watcher.close();
      p.mover.close();
    }
  }, 90_000);
});
