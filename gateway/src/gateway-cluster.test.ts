import { deleteClusterKeysWithPrefix, testCluster, uniquePrefix, type TestCluster } from '@locus/engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { befriend, connectUser, MONACO, move, NEAR, presenceScenarios, strangersScenario, uniqueUser, type Side } from './testing/presence-scenarios.js';

const token = (user: string, ttlSec = 3600): string => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: ttlSec });

/**
 * Three real gateway processes on the `redis-cluster` engine (a 3 + 3 Redis Cluster on loopback:
 * cluster:up's when running, else a private one): users on any gateway see each other, whichever
 * shard their channels live on.
 */
describe('three gateway processes on the redis-cluster engine', () => {
  const prefix = uniquePrefix('locus-e2e-cluster');
  let t: TestCluster;
  let gws: GatewayProcess[] = [];
  beforeAll(async () => {
    t = await testCluster();
    const env = { LOCUS_ENGINE: 'redis-cluster', LOCUS_REDIS_CLUSTER_NODES: t.cluster.nodesEnv, LOCUS_REDIS_PREFIX: prefix, LOCUS_SEED_OSM: '' };
    gws = await Promise.all([startGatewayProcess(env), startGatewayProcess(env), startGatewayProcess(env)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(gws.map((g) => g.stop()));
    if (t !== undefined) {
      await deleteClusterKeysWithPrefix(t.cluster, prefix);
      await t.release();
    }
  });
  const side = (i: number): Side => ({ url: gws[i]!.url, token });

  describe('gateway 1 ↔ gateway 2', () => presenceScenarios(() => [side(0), side(1)]));
  describe('gateway 3 ↔ gateway 1', () => strangersScenario(() => [side(2), side(0)]));

  it('a circle of friends spread over all three gateways (and all shards) sees every move', async () => {
    const users = Array.from({ length: 9 }, (_, i) => uniqueUser(`ring${i}`));
    const clients = await Promise.all(users.map((u, i) => connectUser(side(i % 3), u)));
    // Everyone befriends the first user of each gateway: friendships cross every pair of gateways.
    for (let i = 0; i < users.length; i++) {
      for (let j = 0; j < 3; j++) {
        if (j === i || (i < 3 && j < i)) continue;
        await befriend(clients[i]!, users[i]!, clients[j]!, users[j]!);
      }
    }
    for (const c of clients) await move(c, MONACO);
    for (let i = 0; i < users.length; i++) await move(clients[i]!, { lat: NEAR.lat + i * 1e-5, lng: NEAR.lng });
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < users.length; i++) {
        if (i === j) continue;
        await clients[j]!.next('friend_loc', (m) => m.user === users[i] && m.lat === NEAR.lat + i * 1e-5);
      }
    }
    for (const c of clients) c.close();
  }, 60_000);

  it('global single-slot keys and channels work: a business written on one gateway reaches search on the others', async () => {
    const op = mintToken('ops', { secret: DEV_JWT_SECRET, roles: ['operator'] });
    const res = await fetch(`${gws[0]!.http}/v1/businesses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Cluster Café', lat: 43.7301, lng: 7.4201, category: 'cafe' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    for (const g of gws.slice(1)) {
      const search = async () =>
        ((await (await fetch(`${g.http}/v1/search/nearby?lat=43.7301&lng=7.4201&radius=10&category=cafe`)).json()) as { results: { id: string }[] }).results.map(
          (r) => r.id,
        );
      await expect.poll(search, { timeout: 3_000 }).toContain(id);
    }
  });

  it('every gateway reports ready with a probe through every shard', async () => {
    for (const g of gws) {
      const r = await fetch(`${g.http}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'ready', engine: 'redis-cluster' });
    }
  });
});
