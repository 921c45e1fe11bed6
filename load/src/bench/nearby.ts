/**
 * npm run bench:nearby -- [--points 1000000] [--queries 2000] [--seconds 3] [--redis-url …] [--no-redis]
 *
 * 1M synthetic businesses spread uniformly over a 100 × 100 km square; top-50 nearby searches at
 * 500 m, 2 km and 10 km from random points of the square, on each index (geohash best-first, S2
 * covering), in process: queries/s and p50/p99 per query. Every index answer on a sample of queries
 * is compared with brute force (identical result sets required). Beside them, in the same run, Redis
 * GEOSEARCH … BYRADIUS r m ASC COUNT 50 on the same points (a unique key, deleted afterwards).
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { haversineMeters, ProximityIndex, type IndexKind } from '@locus/geo';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '3' },
    'brute-samples': { type: 'string', default: '20' },
    'redis-url': { type: 'string', default: process.env.LOCUS_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-redis': { type: 'boolean', default: false },
  },
});
const N = Number(args.points);
const SECONDS = Number(args.seconds);
const QUERIES = Number(args.queries);
const SAMPLES = Number(args['brute-samples']);
const RADII = [500, 2000, 10_000];
const LIMIT = 50;
// 100 km × 100 km around Paris.
const CENTER = { lat: 48.85, lng: 2.35 };
const HALF_LAT = 50_000 / 111_195;
const HALF_LNG = HALF_LAT / Math.cos((CENTER.lat * Math.PI) / 180);

let seed = 42;
const rand = (): number => {
  // xorshift32: the same points and queries every run.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const randomPoint = () => ({ lat: CENTER.lat + (rand() * 2 - 1) * HALF_LAT, lng: CENTER.lng + (rand() * 2 - 1) * HALF_LNG });

const lat = new Float64Array(N);
const lng = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const p = randomPoint();
  lat[i] = p.lat;
  lng[i] = p.lng;
}
const queries = Array.from({ length: QUERIES }, randomPoint);

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function brute(qlat: number, qlng: number, radius: number): string[] {
  const hits: { i: number; d: number }[] = [];
  for (let i = 0; i < N; i++) {
    const d = haversineMeters(qlat, qlng, lat[i]!, lng[i]!);
    if (d <= radius) hits.push({ i, d });
  }
  hits.sort((a, b) => a.d - b.d || a.i - b.i);
  return hits.slice(0, LIMIT).map((h) => `b${h.i}`);
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`bench:nearby — ${fmt(N)} points in 100 × 100 km, top-${LIMIT}, node ${process.version}`);

const rows: string[] = [];
for (const kind of ['geohash', 's2'] as IndexKind[]) {
  const idx = new ProximityIndex(kind);
  const t0 = performance.now();
  const items = { *[Symbol.iterator]() { for (let i = 0; i < N; i++) yield { id: `b${i}`, lat: lat[i]!, lng: lng[i]!, category: 'shop' }; } };
  idx.bulkLoad(items);
  const loadMs = performance.now() - t0;
  console.log(`${kind.padEnd(8)} load ${fmt(loadMs)} ms, heap ${fmt(process.memoryUsage().heapUsed / 1048576)} MiB`);
  for (const radius of RADII) {
    // Exactness on a sample: identical ids to brute force (ties broken by index order both ways).
    let mismatches = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const q = queries[s]!;
      const got = idx.nearby({ lat: q.lat, lng: q.lng, radius, limit: LIMIT }).hits.map((h) => h.id);
      const want = brute(q.lat, q.lng, radius);
      if (got.length !== want.length || got.some((id, i) => id !== want[i] && haversineMeters(q.lat, q.lng, lat[Number(id.slice(1))]!, lng[Number(id.slice(1))]!) !== haversineMeters(q.lat, q.lng, lat[Number(want[i]!.slice(1))]!, lng[Number(want[i]!.slice(1))]!))) mismatches++;
    }
    const times: number[] = [];
    let examined = 0;
    const end = performance.now() + SECONDS * 1000;
    let i = 0;
    while (performance.now() < end) {
      const q = queries[i++ % QUERIES]!;
      const a = performance.now();
      const r = idx.nearby({ lat: q.lat, lng: q.lng, radius, limit: LIMIT });
      times.push(performance.now() - a);
      examined += r.examined;
    }
    const sorted = Float64Array.from(times).sort();
    const total = times.reduce((x, y) => x + y, 0);
    const row = `${kind.padEnd(8)} r=${String(radius).padStart(5)} m: ${fmt(times.length / (total / 1000))} q/s, p50 ${fmt(percentile(sorted, 0.5) * 1000, 1)} µs, p99 ${fmt(percentile(sorted, 0.99) * 1000, 1)} µs, ${fmt(examined / times.length)} points examined/query, brute-force mismatches ${mismatches}/${SAMPLES}`;
    console.log(row);
    rows.push(row);
  }
}

if (!args['no-redis']) {
  const redis = new Redis(args['redis-url']!, { lazyConnect: true, enableAutoPipelining: false });
  await redis.connect();
  const key = `locus-bench:geo:${process.pid}:${Date.now()}`;
  try {
    const t0 = performance.now();
    for (let i = 0; i < N; i += 10_000) {
      const args: (string | number)[] = [];
      for (let j = i; j < Math.min(N, i + 10_000); j++) args.push(lng[j]!, lat[j]!, `b${j}`);
      await redis.geoadd(key, ...args);
    }
    console.log(`redis    GEOADD ${fmt(N)} points in ${fmt(performance.now() - t0)} ms`);
    for (const radius of RADII) {
      const times: number[] = [];
      const end = performance.now() + SECONDS * 1000;
      let i = 0;
      // One query at a time: Redis runs GEOSEARCH on one core, so concurrency adds no throughput.
      while (performance.now() < end) {
        const q = queries[i++ % QUERIES]!;
        const a = performance.now();
        await redis.geosearch(key, 'FROMLONLAT', q.lng, q.lat, 'BYRADIUS', radius, 'm', 'ASC', 'COUNT', LIMIT);
        times.push(performance.now() - a);
      }
      const sorted = Float64Array.from(times).sort();
      const total = times.reduce((x, y) => x + y, 0);
      console.log(`redis    r=${String(radius).padStart(5)} m: ${fmt(times.length / (total / 1000))} q/s, p50 ${fmt(percentile(sorted, 0.5) * 1000, 1)} µs, p99 ${fmt(percentile(sorted, 0.99) * 1000, 1)} µs (GEOSEARCH BYRADIUS ASC COUNT ${LIMIT}, round trip included)`);
    }
  } finally {
    await redis.del(key);
    redis.disconnect();
  }
}
process.exit(0);
