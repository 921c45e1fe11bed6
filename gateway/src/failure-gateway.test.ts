import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectOptions, type LocusClient, type LocusEvents } from '@locus/client-sdk';
import { deleteClusterKeysWithPrefix, testCluster, uniquePrefix, type TestCluster } from '@locus/engine/testing';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from './auth.js';
import { DEV_JWT_SECRET } from './config.js';
import { startGatewayProcess, type GatewayProcess } from './testing/gateway-process.js';
import { uniqueUser } from './testing/presence-scenarios.js';

const MONACO_PBF = new URL('../../data/monaco.osm.pbf', import.meta.url).pathname;
const MONACO = { lat: 43.7384, lng: 7.4246 };
const NEAR = { lat: 43.7411, lng: 7.4296 };
/** West (Fontvieille) to east (Larvotto): a route inside the Monaco extract. */
const DESTINATION = { lat: 43.748, lng: 7.435 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sdk(urls: string[], user: string, extra: Partial<ConnectOptions> = {}): Promise<LocusClient> {
  return connect({
    urls,
    getToken: () => mintToken(user, { secret: DEV_JWT_SECRET, expiresInSec: 3600 }),
    WebSocket: WebSocket as unknown as ConnectOptions['WebSocket'],
    backoff: { initialDelayMs: 100, maxDelayMs: 1_000 },
    batchIntervalMs: 0,
    ...extra,
  });
}

function collect<K extends keyof LocusEvents>(c: LocusClient, event: K): LocusEvents[K][] {
  const out: LocusEvents[K][] = [];
  c.on(event, (p) => out.push(p));
  return out;
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Failure tests 3 and 4, with the client SDK, on three gateway processes sharing a Redis Cluster
 * (cluster:up's when running, else a private one; no Redis node is harmed here).
 *
 * 3. SIGKILL a gateway: its clients reconnect to another gateway through the SDK, get their nearby
 *    friends and their navigation session back (target: every client within 10 s), and nobody is told
 *    a friend is gone (only the location TTL may say that, and it is 10 minutes).
 * 4. SIGTERM a gateway while its clients stream updates: each moves to another gateway with no error,
 *    at most one reconnect, and no update lost or applied twice.
 */
describe('failure: gateways die or drain under SDK clients (redis-cluster engine)', () => {
  const prefix = uniquePrefix('locus-fail-gw');
  let t: TestCluster;
  let tiles: string;
  let g1: GatewayProcess;
  let g2: GatewayProcess;
  let g3: GatewayProcess;
  const open: LocusClient[] = [];
  beforeAll(async () => {
    t = await testCluster();
    tiles = await mkdtemp(join(tmpdir(), 'locus-fail-gw-tiles-'));
    const env = {
      LOCUS_ENGINE: 'redis-cluster',
      LOCUS_REDIS_CLUSTER_NODES: t.cluster.nodesEnv,
      LOCUS_REDIS_PREFIX: prefix,
      LOCUS_SEED_OSM: MONACO_PBF,
      LOCUS_ROUTING_TILES_DIR: tiles,
      LOCUS_DRAIN_MS: '2000',
    };
    // The first one builds the routing tiles and seeds the store; the others load them.
    g1 = await startGatewayProcess(env, [], 90_000);
    [g2, g3] = await Promise.all([startGatewayProcess(env, [], 60_000), startGatewayProcess(env, [], 60_000)]);
  }, 240_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([g1, g2, g3].map((g) => g?.stop()));
    if (t !== undefined) {
      await deleteClusterKeysWithPrefix(t.cluster, prefix);
      await t.release();
    }
    if (tiles !== undefined) await rm(tiles, { recursive: true, force: true });
  });

  it('3. SIGKILL: clients are back on another gateway with their friends and navigation within 10 s; nobody sees a friend gone', async () => {
    // Three users on g1 (falling back to g2), three on g2; each g1 user is friends with each g2 user.
    const aIds = [0, 1, 2].map((i) => uniqueUser(`killed${i}`));
    const bIds = [0, 1, 2].map((i) => uniqueUser(`stays${i}`));
    const as = await Promise.all(aIds.map((id) => sdk([g1.url, g2.url], id)));
    const bs = await Promise.all(bIds.map((id) => sdk([g2.url], id)));
    open.push(...as, ...bs);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        await as[i]!.addFriend(bIds[j]!);
        await bs[j]!.acceptFriend(aIds[i]!);
      }
    }
    for (const a of as) a.updateLocation(MONACO);
    for (const b of bs) b.updateLocation(NEAR);
    await Promise.all([...as, ...bs].map((c) => c.flush()));
    const navigating = as[0]!;
    const started = await navigating.startNavigation({ to: DESTINATION });
    const gone = [...as, ...bs].map((c) => collect(c, 'friendGone'));
    const snapshots = as.map((a) => collect(a, 'nearby'));
    const resumed = collect(navigating, 'navRoute');
    const reconnected = as.map((a) => collect(a, 'reconnected'));

    const killedAt = Date.now();
    g1.child.kill('SIGKILL');
    await g1.exited;
    const backAt: number[] = [];
    await Promise.all(
      as.map(async (a, i) => {
        await until(
          () => reconnected[i]!.length > 0 && snapshots[i]!.some((s) => bIds.every((b) => s.friends.some((f) => f.user === b))),
          10_000,
          `${aIds[i]} back with its friends`,
        );
        backAt[i] = Date.now() - killedAt;
        expect(a.server).not.toBe('');
      }),
    );
    await until(() => resumed.some((r) => r.reason === 'resumed'), 10_000, 'the navigation session resumed');
    const navBackMs = Date.now() - killedAt;
    expect(resumed.find((r) => r.reason === 'resumed')!.session).toBe(started.session);
    // Live again both ways: a move of a reconnected user reaches its friends on g2, and back.
    const seenByB = collect(bs[0]!, 'friend');
    const seenByA = collect(as[1]!, 'friend');
    as[1]!.updateLocation({ lat: MONACO.lat + 1e-4, lng: MONACO.lng });
    bs[0]!.updateLocation({ lat: NEAR.lat + 1e-4, lng: NEAR.lng });
    await until(() => seenByB.some((f) => f.user === aIds[1]), 5_000, 'the reconnected user heard on g2');
    await until(() => seenByA.some((f) => f.user === bIds[0]), 5_000, 'g2 heard by the reconnected user');
    console.log(`[failure-gateway] SIGKILL: clients back with their friends after ${backAt.join(', ')} ms; navigation resumed after ${navBackMs} ms`);
    expect(Math.max(...backAt)).toBeLessThanOrEqual(10_000);
    expect(gone.flat()).toEqual([]);
  }, 60_000);

  it('4. SIGTERM drain under load: every client moves with no error, at most one reconnect, no update lost or repeated', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => uniqueUser(`drained${i}`));
    const clients = await Promise.all(ids.map((id) => sdk([g2.url, g3.url], id)));
    open.push(...clients);
    const errors = clients.map((c) => collect(c, 'error'));
    const reconnecting = clients.map((c) => collect(c, 'reconnecting'));
    const dropped = clients.map((c) => collect(c, 'locationDropped'));
    const drained = clients.map((c) => c.next('drained'));
    const t0 = Date.now() - 60_000;
    const sent = clients.map(() => [] as number[]);
    let k = 0;
    const feeder = setInterval(() => {
      k++;
      clients.forEach((c, i) => {
        c.updateLocation({ lat: MONACO.lat + k * 1e-6, lng: MONACO.lng, ts: t0 + k });
        sent[i]!.push(t0 + k);
      });
    }, 60);
    await sleep(300);
    const exited = g2.stop();
    const moves = await Promise.all(drained);
    await sleep(300);
    clearInterval(feeder);
    await Promise.all(clients.map((c) => c.flush(20_000)));
    expect(await exited).toBe(0);
    for (let i = 0; i < clients.length; i++) {
      expect(moves[i]).toMatchObject({ from: g2.url, to: g3.url });
      expect(errors[i]).toEqual([]);
      expect(reconnecting[i]!.length).toBeLessThanOrEqual(1);
      expect(dropped[i]).toEqual([]);
      const h = await clients[i]!.history(t0, Date.now() + 1000, { limit: 1000 });
      expect(h.items.map((x) => x.ts)).toEqual(sent[i]);
    }
    console.log(`[failure-gateway] SIGTERM drain: ${clients.length} clients × ${k} updates moved to another gateway, none lost or repeated`);
  }, 60_000);
});
