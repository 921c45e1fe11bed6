/**
 * `npm run capacity:sim`: how 10M users' channels spread over a Redis Cluster's 16384 slots and
 * its masters, and what each master carries at the design-note scale (docs/capacity.md).
 *
 * Every user's channel is `ch:loc:{u:ID}`: its slot is CRC16("u:ID") mod 16384 (the hash tag). Slots
 * are split over N masters in equal contiguous ranges, as `redis-cli --cluster create` does. For each
 * N the script reports channels per master (max / mean / min), and per master the publishes/s and
 * the deliveries/s Redis makes (one per gateway subscribed to the channel: a gateway subscribes once
 * however many of its users are friends of the publisher).
 *
 *   npx tsx scripts/cluster-capacity-sim.ts [--users 10000000] [--online-friends 42] [--gateways 100] [--interval 30]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SLOT_COUNT, slotOf } from '../engine/src/redis-cluster/slots.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000000' },
    'online-friends': { type: 'string', default: '42' },
    gateways: { type: 'string', default: '100' },
    interval: { type: 'string', default: '30' },
    masters: { type: 'string', default: '3,16,32,64,140' },
  },
});
const USERS = Number(values.users);
const ONLINE_FRIENDS = Number(values['online-friends']);
const GATEWAYS = Number(values.gateways);
const INTERVAL_S = Number(values.interval);
const MASTER_COUNTS = values.masters.split(',').map(Number);

// Users per slot. Ids are random (what an auth system hands out), 16 base-36 characters.
const perSlot = new Float64Array(SLOT_COUNT);
const started = performance.now();
const bytes = randomBytes(USERS * 8);
for (let i = 0; i < USERS; i++) {
  const id = bytes.readBigUInt64LE(i * 8).toString(36);
  perSlot[slotOf(`u:${id}`)]! += 1;
}
const hashMs = performance.now() - started;

const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const stats = (xs: ArrayLike<number>): { max: number; mean: number; min: number } => {
  let max = -Infinity;
  let min = Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    max = Math.max(max, x);
    min = Math.min(min, x);
    sum += x;
  }
  return { max, mean: sum / xs.length, min };
};

const slotStats = stats(perSlot);
// A publish reaches each gateway that holds at least one online friend of the publisher.
const gatewaysPerPublish = GATEWAYS * (1 - (1 - 1 / GATEWAYS) ** ONLINE_FRIENDS);
const updatesPerSec = USERS / INTERVAL_S;

console.log(`${fmt(USERS)} users (slots computed in ${fmt(hashMs)} ms), one update per ${INTERVAL_S} s each = ${fmt(updatesPerSec)} publishes/s`);
console.log(
  `channels per slot: max ${fmt(slotStats.max)}, mean ${slotStats.mean.toFixed(1)}, min ${fmt(slotStats.min)} (max/mean ${(slotStats.max / slotStats.mean).toFixed(3)})`,
);
console.log(
  `${ONLINE_FRIENDS} online friends per user over ${GATEWAYS} gateways → ${gatewaysPerPublish.toFixed(1)} gateways subscribed per channel ` +
    `→ ${fmt(updatesPerSec * gatewaysPerPublish)} Redis deliveries/s (${fmt(updatesPerSec * ONLINE_FRIENDS)} socket deliveries/s at the gateways)`,
);
console.log('');
console.log('| masters | channels per master: max | mean | min | max/mean | publishes/s per master (max) | Redis deliveries/s per master (max) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const n of MASTER_COUNTS) {
  const perMaster = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    // redis-cli's split: master m gets slots [floor(m·S/n), floor((m+1)·S/n) - 1].
    const from = Math.floor((m * SLOT_COUNT) / n);
    const to = Math.floor(((m + 1) * SLOT_COUNT) / n);
    for (let s = from; s < to; s++) perMaster[m]! += perSlot[s]!;
  }
  const st = stats(perMaster);
  const maxPublishes = st.max / INTERVAL_S;
  console.log(
    `| ${n} | ${fmt(st.max)} | ${fmt(st.mean)} | ${fmt(st.min)} | ${(st.max / st.mean).toFixed(4)} | ${fmt(maxPublishes)} | ${fmt(maxPublishes * gatewaysPerPublish)} |`,
  );
}
console.log('');
for (const name of ['biz:ids', 'fence:ids', 'traffic:log', 'ch:biz', 'ch:fence', 'ch:traffic']) {
  console.log(`global key ${name}: slot ${slotOf(`locus:${name}`)} (one master holds it whatever the cluster size)`);
}
