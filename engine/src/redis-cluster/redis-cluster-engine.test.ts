import { createServer } from 'node:net';
import { type Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineContract } from '../contract.js';
import { channels, keys } from '../keys.js';
import { deleteClusterKeysWithPrefix, testCluster, type TestCluster } from '../testing/cluster.js';
import { countSocketWrites, issueTurnByTurn } from '../testing/socket-writes.js';
import { uniquePrefix } from '../testing/unique-prefix.js';
import type { BusListener } from '../types.js';
import { RedisClusterEngine } from './redis-cluster-engine.js';
import { slotOf } from './slots.js';

/**
 * The redis-cluster engine against a real 3 + 3 cluster on loopback (cluster:up's when running,
 * else one started here). Node failures are tested in gateway/src/failure-cluster.test.ts, on a
 * private cluster.
 */
const runPrefix = uniquePrefix();
let t: TestCluster;

beforeAll(async () => {
  t = await testCluster();
}, 60_000);

afterAll(async () => {
  if (t === undefined) return;
  await deleteClusterKeysWithPrefix(t.cluster, runPrefix);
  await t.release();
});

engineContract('redis-cluster', async () => new RedisClusterEngine({ nodes: t.cluster.startupNodes, prefix: runPrefix }));

describe('RedisClusterEngine specifics', () => {
  const engines: RedisClusterEngine[] = [];
  const make = (prefix = runPrefix): RedisClusterEngine => {
    const e = new RedisClusterEngine({ nodes: t.cluster.startupNodes.slice(0, 1), prefix });
    engines.push(e);
    return e;
  };

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });


  it('writes to a node at most once per write window: commands one turn apart share a write', async () => {
    const e = new RedisClusterEngine({ nodes: t.cluster.startupNodes.slice(0, 1), prefix: runPrefix, writeWindowMs: 30 });
    engines.push(e);
    await e.connect();
    const tag = '{turns}';
    await e.kv.set(`${tag}:warm`, new Uint8Array([0]), 60_000); // the slot's node connection is up
    await new Promise((r) => setTimeout(r, 40));
    const cmd = (e as unknown as { cmd: Cluster }).cmd;
    const counters = cmd.nodes('all').filter((node) => node.status === 'ready').map((node) => countSocketWrites(node));
    await issueTurnByTurn(10, (i) => e.kv.set(`${tag}:k${i}`, new Uint8Array([i]), 60_000));
    expect(counters.reduce((sum, writes) => sum + writes(), 0)).toBeLessThanOrEqual(3);
    expect((await e.kv.get(`${tag}:k9`))?.[0]).toBe(9);
  });
  it("puts every key and channel of a user in one slot, and spreads users over slots", () => {
    const slotsOf = (user: string) =>
      new Set([
        keys.location(user),
        keys.friends(user),
        keys.friendRequestsIn(user),
        keys.friendRequestsOut(user),
        keys.history(user),
        keys.settings(user),
        keys.userFences(user),
        keys.fenceState(user),
        keys.navSession(user),
        keys.locationSeq(user),
        channels.location(user),
        channels.control(user),
      ].map((k) => slotOf(runPrefix + k)));
    expect(slotsOf('alice').size).toBe(1);
    const spread = new Set(Array.from({ length: 100 }, (_, i) => [...slotsOf(`user-${i}`)][0]));
    expect(spread.size).toBeGreaterThan(95);
  });

  it('connect() to nodes where nothing listens rejects with ENGINE_UNAVAILABLE within the timeout, then is closed', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
      });
    });
    const e = new RedisClusterEngine({ nodes: [{ host: '127.0.0.1', port }], connectTimeoutMs: 500 });
    engines.push(e);
    const started = Date.now();
    await expect(e.connect()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining(`127.0.0.1:${port}`) });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(e.state).toBe('closed');
  });

  it('refuses a prefix with braces (it would put every key in one slot)', () => {
    expect(() => new RedisClusterEngine({ nodes: t.cluster.startupNodes, prefix: 'a{b}:' })).toThrow(/braces/);
  });

  it('holds one pub/sub connection per master, and the probe goes through each', async () => {
    const e = make();
    await e.connect();
    const masters = await t.cluster.masters();
    expect([...e.shardStates.keys()].sort()).toEqual(masters.map((p) => `127.0.0.1:${p}`).sort());
    expect([...e.shardStates.values()].every((s) => s === 'ready')).toBe(true);
    for (const port of masters) {
      const admin = new Redis({ host: '127.0.0.1', port });
      const list = (await admin.client('LIST')) as string;
      admin.disconnect();
      expect(list.split('\n').filter((l) => l.includes(` name=${e.connectionName}-ssub-`))).toHaveLength(1);
    }
    expect(await e.probe(2_000)).toBeGreaterThanOrEqual(0);
  });

  it('users on different shards exchange messages through sharded pub/sub, and mget spans slots', async () => {
    const a = make();
    const b = make();
    await Promise.all([a.connect(), b.connect()]);
    const users = Array.from({ length: 30 }, (_, i) => `spread-${i}`);
    const got = new Set<string>();
    const listener: BusListener = (channel) => got.add(channel);
    for (const u of users) await b.bus.subscribe(channels.location(u), listener);
    for (const u of users) await a.bus.publish(channels.location(u), new Uint8Array([1]));
    await vi.waitFor(() => expect(got.size).toBe(users.length));
    for (const u of users.slice(0, 10)) await a.kv.set(keys.location(u), Buffer.from(u));
    const values = await b.kv.mget(users.slice(0, 12).map((u) => keys.location(u)));
    expect(values.map((v) => (v === null ? null : Buffer.from(v).toString()))).toEqual([...users.slice(0, 10), null, null]);
  });

  it('follows a slot moved to another master (MOVED): the channel is resubscribed on the new owner', async () => {
    const sub = make();
    const pub = make();
    await Promise.all([sub.connect(), pub.connect()]);
    const channel = `move:{${runPrefix}slot-move}`;
    const slot = slotOf(runPrefix + channel);
    const got: number[] = [];
    await sub.bus.subscribe(channel, (_c, p) => got.push(p[0]!));
    const from = await t.cluster.ownerOf(slot);
    const to = (await t.cluster.masters()).find((p) => p !== from)!;
    const moveSlot = async (src: number, dst: number) => {
      const ids = new Map((await t.cluster.roles()).map((r) => [r.port, r.id]));
      const admin = (port: number) => new Redis({ host: '127.0.0.1', port });
      const [a, b] = [admin(src), admin(dst)];
      await b.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids.get(src)!);
      await a.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids.get(dst)!);
      // Our channel holds no keys, but other test files share this cluster and may have written a
      // key that hashes to the same slot: move them as redis-cli --cluster reshard does, or the
      // source refuses SETSLOT NODE ("I still hold keys").
      for (;;) {
        const held = (await a.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
        if (held.length === 0) break;
        await a.call('MIGRATE', '127.0.0.1', dst, '', 0, 5_000, 'REPLACE', 'KEYS', ...held);
      }
      for (const r of [b, a]) await r.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids.get(dst)!);
      for (const port of await t.cluster.masters()) {
        if (port === src || port === dst) continue;
        const other = admin(port);
        await other.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids.get(dst)!);
        other.disconnect();
      }
      a.disconnect();
      b.disconnect();
    };
    // A key in the slot makes the move a real migration, as on a busy cluster.
    await pub.kv.set(`{${runPrefix}slot-move}:held`, new Uint8Array([7]), 60_000);
    await moveSlot(from, to);
    try {
      expect((await pub.kv.get(`{${runPrefix}slot-move}:held`))?.[0]).toBe(7);
      let n = 0;
      await vi.waitFor(
        async () => {
          await pub.bus.publish(channel, new Uint8Array([++n]));
          await new Promise((r) => setTimeout(r, 50));
          expect(got.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 100 },
      );
      await vi.waitFor(() => expect(sub.state).toBe('ready'), { timeout: 5_000 });
      expect(await sub.probe(2_000)).toBeGreaterThanOrEqual(0);
    } finally {
      await moveSlot(to, from);
    }
  }, 30_000);
});
