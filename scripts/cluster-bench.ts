/**
 * `npm run bench:cluster`: deliveries/s per Redis node, through the engines themselves.
 *
 * Starts a private Redis Cluster (3 masters + 3 replicas) and a private standalone Redis; for each:
 * S subscriber engines (each stands for one gateway) subscribe to the same C user channels, P
 * publisher engines publish on them as fast as a window of W unacknowledged publishes allows, for D
 * seconds. Every publish is delivered to S subscribers. Reported: publishes/s, deliveries/s, and the
 * CPU seconds the Redis processes (masters; replicas also apply the sharded publishes they receive)
 * used meanwhile (masters and replicas apart), so that "deliveries per Redis CPU-second" does not depend on how much of the shared
 * machine the load generator took.
 *
 *   npx tsx scripts/cluster-bench.ts [--seconds 8] [--subscribers 4] [--channels 3000] [--publishers 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { channels, RedisClusterEngine, RedisEngine, type Engine } from '../engine/src/index.js';
import { LocalCluster } from '../engine/src/redis-cluster/local-cluster.js';
import { LocalRedis } from '../engine/src/testing/local-redis.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    subscribers: { type: 'string', default: '4' },
    channels: { type: 'string', default: '3000' },
    publishers: { type: 'string', default: '2' },
    window: { type: 'string', default: '512' },
  },
});
const SECONDS = Number(values.seconds);
const SUBSCRIBERS = Number(values.subscribers);
const CHANNELS = Number(values.channels);
const PUBLISHERS = Number(values.publishers);
const WINDOW = Number(values.window);
const TICKS = 100; // /proc clock ticks per second on Linux

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function usedMemory(ports: number[]): Promise<number> {
  let total = 0;
  for (const port of ports) {
    const r = new Redis({ host: '127.0.0.1', port });
    const info = await r.info('memory');
    r.disconnect();
    total += Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  }
  return total;
}

interface Result {
  publishes: number;
  deliveries: number;
  seconds: number;
  /** CPU seconds of the masters (the standalone server). */
  redisCpu: number;
  replicaCpu: number;
  nodes: number;
  /** Redis memory (used_memory, all masters) per (subscriber connection, channel) pair, in bytes. */
  perSubscription: number;
}

async function run(
  make: () => Engine,
  masterPids: number[],
  replicaPids: number[],
  nodes: number,
  usedMemory: () => Promise<number>,
): Promise<Result> {
  const cpu = (pids: number[]): number => pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const names = Array.from({ length: CHANNELS }, (_, i) => channels.location(`bench-${i}`));
  const subs = Array.from({ length: SUBSCRIBERS }, make);
  const pubs = Array.from({ length: PUBLISHERS }, make);
  await Promise.all([...subs, ...pubs].map((e) => e.connect()));
  let deliveries = 0;
  const listener = (): void => {
    deliveries++;
  };
  const memoryBefore = await usedMemory();
  for (const s of subs) await Promise.all(names.map((c) => s.bus.subscribe(c, listener)));
  const perSubscription = ((await usedMemory()) - memoryBefore) / (SUBSCRIBERS * CHANNELS);
  const payload = new Uint8Array(40);
  let publishes = 0;
  let running = true;
  const [cpu0, replicaCpu0] = [cpu(masterPids), cpu(replicaPids)];
  const start = performance.now();
  const d0 = deliveries;
  await Promise.all(
    pubs.map(async (pub, w) => {
      let i = w;
      const lane = async (): Promise<void> => {
        while (running) {
          i = (i + PUBLISHERS) % CHANNELS;
          await pub.bus.publish(names[i]!, payload);
          publishes++;
        }
      };
      const lanes = Array.from({ length: WINDOW }, lane);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      running = false;
      await Promise.all(lanes);
    }),
  );
  // Let in-flight deliveries land before reading the counters.
  await new Promise((r) => setTimeout(r, 500));
  const seconds = (performance.now() - start) / 1000;
  const redisCpu = cpu(masterPids) - cpu0;
  const replicaCpu = cpu(replicaPids) - replicaCpu0;
  const result = { publishes, deliveries: deliveries - d0, seconds, redisCpu, replicaCpu, nodes, perSubscription };
  await Promise.all([...subs, ...pubs].map((e) => e.close()));
  return result;
}

function report(label: string, r: Result): void {
  const perCpu = r.deliveries / r.redisCpu;
  console.log(
    `| ${label} | ${r.nodes} | ${Math.round(r.publishes / r.seconds).toLocaleString('en')} | ${Math.round(r.deliveries / r.seconds).toLocaleString('en')} | ` +
      `${r.redisCpu.toFixed(2)} s | ${r.replicaCpu.toFixed(2)} s | **${Math.round(perCpu).toLocaleString('en')}** | ${Math.round(r.perSubscription)} B |`,
  );
}

console.log(`${SUBSCRIBERS} subscriber engines × ${CHANNELS} channels, ${PUBLISHERS} publisher engines (window ${WINDOW} each), ${SECONDS} s`);
console.log('| engine | masters | publishes/s | deliveries/s | master CPU used | replica CPU used | deliveries per master CPU-second | Redis memory per subscription |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');

const redis = await LocalRedis.start();
try {
  const pid = redis.pid!;
  report('redis (PUBLISH)', await run(() => new RedisEngine({ url: redis.url, prefix: 'bench:' }), [pid], [], 1, () => usedMemory([redis.port])));
} finally {
  await redis.stop();
}

const cluster = await LocalCluster.start();
try {
  const masters = new Set(await cluster.masters());
  const pidsOf = (isMaster: boolean) => cluster.nodes.filter((n) => masters.has(n.port) === isMaster).map((n) => n.pid);
  report(
    'redis-cluster (SPUBLISH)',
    await run(() => new RedisClusterEngine({ nodes: cluster.startupNodes, prefix: 'bench:' }), pidsOf(true), pidsOf(false), masters.size, () =>
      usedMemory([...masters]),
    ),
  );
} finally {
  await cluster.stop();
}
