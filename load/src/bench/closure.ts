/**
 * npm run bench:closure -- [--sessions 10000] [--events 30] [--seed 42] [--profile FILE.cpuprofile]
 *   [--profile-all] (the profile covers every closure; by default only the busiest edge's)
 *
 * The gateway's CPU part of a closure reroute, in one process and without sockets: a NavigationService
 * on the `memory` engine with Monaco's routing data (what a gateway runs), N navigation sessions between
 * random road points (as bench:reroute starts them), each with a sink that encodes every message as
 * the connection would (msgpack) and notes when its closure answer came. Then closures on random edges
 * the routes use, applied as the traffic event a gateway receives (NavigationService.applyTraffic), and
 * the edge most routes use. Per closure: the sessions affected and the ms until the last answer was
 * encoded, with the gateway's own breakdown of slow answers. A CPU profile of this (node --cpu-prof)
 * shows the closure path alone; bench:reroute measures it end to end with real sockets. Asserts nothing.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { encodeClientMessage, encodeServerMessageTransient, type ServerMessage } from '@locus/protocol';
import { startNavigationWorld, type NavSink } from '@locus/gateway/testing/navigation-world';
import { seededTrips } from './road-points.js';

const { values: args } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    events: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    /** A V8 CPU profile of the busiest edge's closure (the per-car costs), for Chrome DevTools. */
    profile: { type: 'string' },
    'profile-all': { type: 'boolean', default: false },
  },
});
const MONACO = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));

/** A connection's part: encode what is sent (as Connection.send does); note the closure's answer. */
class BenchSink implements NavSink {
  readonly routePatches = true;
  answeredAt = 0;
  /** The closure answer itself and its frame's size. */
  answer: ServerMessage | null = null;
  bytes = 0;
  /** µs encoding the closure answer took (in the answer's path, as in a gateway). */
  encodeUs = 0;
  send(msg: ServerMessage): void {
    const t = performance.now();
    const bytes = encodeServerMessageTransient(msg, 'msgpack').length; // as Connection.send encodes
    const us = 1000 * (performance.now() - t);
    if (this.answeredAt === 0 && (((msg.t === 'nav_patch' || msg.t === 'nav_route') && msg.reason === 'closure') || (msg.t === 'error' && msg.code === 'NO_ROUTE') || (msg.t === 'nav_eta' && msg.reason === 'traffic'))) {
      this.answeredAt = performance.now();
      this.answer = msg;
      this.bytes = bytes;
      this.encodeUs = us;
    }
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds of garbage collection so far (pauses of this thread). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

async function main(): Promise<void> {
  const world = await startNavigationWorld(MONACO, { LOCUS_NAV_PROGRESS_MS: '600000' });
  const { navigation, routing } = world;
  const graph = routing.graph;
  const { rnd, roadPoint } = seededTrips(graph, Number(args.seed));

  const N = Number(args.sessions);
  const sinks = new Map<string, BenchSink>();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const user = `closure-bench-${i}`;
    const sink = new BenchSink();
    navigation.register(user, sink);
    for (let tries = 0; tries < 6; tries++) {
      try {
        await navigation.begin(user, { t: 'nav_start', id: 1, from: roadPoint(), to: roadPoint() }, null);
        sinks.set(user, sink);
        break;
      } catch {
        // no route between these two points: two others
      }
    }
  }
  console.log(`${sinks.size} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);

  // How many routes use each edge (not their first and last two: as bench:reroute picks them).
  const usage = new Map<number, number>();
  for (const user of sinks.keys()) {
    const edges = navigation.sessionOf(user)!.track.edges;
    for (const e of new Set(edges.subarray(2, edges.length - 2))) usage.set(e, (usage.get(e) ?? 0) + 1);
  }
  const ranked = [...usage].sort((a, b) => b[1] - a[1]);

  const settle = async (): Promise<void> => {
    // The follow-up (installs, exact re-checks, records) runs in slices on setImmediate; wait it out.
    while (navigation.backlog > 0) await new Promise((r) => setTimeout(r, 20));
  };
  const closure = async (edge: number) => {
    await settle();
    for (const s of sinks.values()) {
      s.answeredAt = 0;
      s.answer = null;
    }
    const affected0 = navigation.stats.affected;
    const gc0 = gcMs;
    const start = performance.now();
    navigation.applyTraffic({ edges: Uint32Array.of(edge), speeds: Float32Array.of(0), expires: Float64Array.of(Date.now() + 3_600_000) });
    const affected = navigation.stats.affected - affected0;
    for (let until = start + 30_000; performance.now() < until; ) {
      let answered = 0;
      for (const s of sinks.values()) if (s.answeredAt > 0) answered++;
      if (answered >= affected) break;
      await new Promise((r) => setImmediate(r));
    }
    let last = 0;
    for (const s of sinks.values()) if (s.answeredAt > last) last = s.answeredAt;
    // GC entries are delivered after the pause: give the observer a turn.
    await new Promise((r) => setTimeout(r, 0));
    let answers = 0;
    let bytes = 0;
    let encodeUs = 0;
    for (const s of sinks.values()) {
      if (!s.answer) continue;
      answers++;
      bytes += s.bytes;
      encodeUs += s.encodeUs;
    }
    const n = Math.max(1, answers);
    return { affected, ms: affected > 0 ? last - start : 0, gc: gcMs - gc0, bytes: bytes / n, encodeUs: encodeUs / n };
  };

  const inspector = args.profile ? new Session() : null;
  const startProfile = async (): Promise<void> => {
    if (!inspector) return;
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
    await inspector.post('Profiler.start');
  };
  if (args['profile-all']) await startProfile();
  const used = ranked.slice(1).map(([e]) => e);
  const perEvent: string[] = [];
  const lasts: number[] = [];
  let sumAffected = 0;
  let sumMs = 0;
  for (let k = 0; k < Number(args.events) && used.length > 0; k++) {
    const edge = used.splice(Math.floor(rnd() * used.length), 1)[0]!;
    const r = await closure(edge);
    if (r.affected > 0) lasts.push(r.ms);
    sumAffected += r.affected;
    sumMs += r.ms;
    perEvent.push(`${r.affected}:${r.ms.toFixed(0)}(gc ${r.gc.toFixed(0)}${r.affected > 0 ? `, ${r.bytes.toFixed(0)} B, ${r.encodeUs.toFixed(0)} µs` : ''})`);
  }
  lasts.sort((a, b) => a - b);
  console.log(`closures on random used edges: last answer encoded p50 ${pct(lasts, 50).toFixed(1)} ms, p99 ${pct(lasts, 99).toFixed(1)} ms`);
  console.log(`  ${sumAffected} sessions affected in all, ${sumMs.toFixed(0)} ms until their last answers: ${((1000 * sumMs) / Math.max(1, sumAffected)).toFixed(0)} µs per affected session`);
  console.log(`  per closure (affected:ms (ms of it and its follow-up in GC, mean bytes and µs encoding an answer)): ${perEvent.join(' ')}`);
  const [busiest, n] = ranked[0]!;
  if (!args['profile-all']) {
    await settle();
    await startProfile();
  }
  const r = await closure(busiest);
  console.log(`busiest edge (${n} routes): ${r.affected} affected, last answer encoded after ${r.ms.toFixed(0)} ms (GC ${r.gc.toFixed(0)} ms; ${((1000 * r.ms) / Math.max(1, r.affected)).toFixed(0)} µs per session)`);
  if (inspector) {
    const { profile } = await inspector.post('Profiler.stop');
    await writeFile(args.profile!, JSON.stringify(profile));
    inspector.disconnect();
  }
  // What encoding those answers costs alone: each encoded again, in a loop (the steps they share packed already).
  const kinds = new Map<string, number>();
  for (const s of sinks.values()) if (s.answer) kinds.set(s.answer.t, (kinds.get(s.answer.t) ?? 0) + 1);
  console.log(`  answers: ${[...kinds].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  const answers = [...sinks.values()].filter((s) => s.answer?.t === 'nav_patch');
  const bytes = answers.reduce((a, s) => a + s.bytes, 0);
  let t = performance.now();
  for (let round = 0; round < 5; round++) for (const s of answers) encodeServerMessageTransient(s.answer!, 'msgpack');
  t = performance.now() - t;
  // Where a patch's bytes go: its new steps (the detour's, packed once per step object and shared),
  // its detour polyline, and the rest (ids, indexes, totals).
  let stepBytes = 0;
  let newSteps = 0;
  let keptSteps = 0;
  let polylineBytes = 0;
  for (const s of answers) {
    const p = s.answer as Extract<ServerMessage, { t: 'nav_patch' }>;
    polylineBytes += p.detour.length;
    for (const m of p.maneuvers) {
      if (typeof m === 'number') keptSteps++;
      else {
        newSteps++;
        stepBytes += encodeClientMessage(m).length; // plain msgpack of the step
      }
    }
  }
  const per = (x: number) => (x / Math.max(1, answers.length)).toFixed(0);
  console.log(`  per nav_patch answer: ${per(newSteps)} new steps (~${per(stepBytes)} bytes), ${per(keptSteps)} kept by index, detour polyline ${per(polylineBytes)} bytes`);
  console.log(`  its ${answers.length} nav_patch answers: ${(bytes / Math.max(1, answers.length)).toFixed(0)} bytes each on average; encoding one again (as Connection.send does) takes ${((1000 * t) / Math.max(1, 5 * answers.length)).toFixed(1)} µs`);
  for (const e of world.logs.filter((l) => l.msg === 'slow traffic answer')) {
    console.log(`  slow answer: ${e.ms} ms (the main thread ran ${e.runMs} ms, waited ${e.waitMs} ms for a core; GC pauses ${(e.gcMs as number[] | undefined)?.join(' / ') ?? '?'} ms) for ${e.sessions} sessions: ${e.repaired} repaired, ${e.searched} searched whole, ${e.cutOff} cut off; ${e.searches} detour searches (${e.searchMs} ms) giving ${e.detours ?? '?'} detours (${e.detourEdges ?? '?'} edges); ms in repairs ${e.repairMs}, describing ${e.describeMs}, sending ${e.sendMs} + ${e.flushMs ?? '?'} (frames written together at slice ends), the unrepaired ${e.unrepairedMs}, ETAs ${e.etaMs}`);
  }
  await settle();
  await world.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
