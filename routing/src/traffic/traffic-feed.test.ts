import { MemoryEngine } from '@locus/engine';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RoadClass } from '../graph/road-class.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import { decodeBatch, encodeBatch, resolveBatch, TrafficBody } from './traffic-batch.js';
import { TrafficFeed } from './traffic-feed.js';
import { WayIndex } from './way-index.js';

function line(n: number) {
  const b = new RoadGraphBuilder();
  for (let i = 0; i < n; i++) b.addNode(43.7, 7.4 + i * 0.001, i + 1);
  for (let i = 0; i + 1 < n; i++) b.addRoad(i, i + 1, { speedKmh: 50, roadClass: RoadClass.tertiary, way: 100 + (i % 3) });
  return b.build();
}

describe('traffic', () => {
  const engines: MemoryEngine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  const engine = async () => {
    const e = new MemoryEngine();
    engines.push(e);
    await e.connect();
    return e;
  };

  it('resolves way + direction and validates against the graph', () => {
    const g = line(10);
    const ways = new WayIndex(g);
    const now = 1_000_000;
    const body = TrafficBody.parse({ updates: [{ way: 100, direction: 'forward', speed: 10, ttl: 60 }, { edge: 3, speed: 0, expires: now + 5000 }] });
    const b = resolveBatch(body, g, ways, now);
    expect(b.edges.length).toBe(3 + 1);
    for (let i = 0; i < 3; i++) expect(g.edgeForward[b.edges[i]!]).toBe(1);
    expect(() => resolveBatch(TrafficBody.parse({ updates: [{ edge: 999, speed: 1, ttl: 1 }] }), g, ways, now)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => resolveBatch(TrafficBody.parse({ updates: [{ way: 7, speed: 1, ttl: 1 }] }), g, ways, now)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(() => resolveBatch(TrafficBody.parse({ updates: [{ edge: 1, speed: 1, expires: now - 1 }] }), g, ways, now)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    expect(TrafficBody.safeParse({ updates: [{ edge: 1, way: 100, speed: 1, ttl: 1 }] }).success).toBe(false);
    expect(TrafficBody.safeParse({ updates: [{ edge: 1, speed: -1, ttl: 1 }] }).success).toBe(false);
    expect(TrafficBody.safeParse({ updates: [] }).success).toBe(false);
  });

  it('batch bytes round-trip, and garbage or another graph build decodes to null (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), fc.float({ min: 0, max: 300, noNaN: true }), fc.integer({ min: 1, max: 2 ** 40 }))), fc.nat(), (rows, nonce) => {
        const b = { edges: Uint32Array.from(rows.map((r) => r[0])), speeds: Float32Array.from(rows.map((r) => r[1])), expires: Float64Array.from(rows.map((r) => r[2])) };
        const bytes = encodeBatch(b, 'g1', nonce);
        expect(decodeBatch(bytes, 'g1')).toEqual({ ...b, nonce: nonce >>> 0 });
        expect(decodeBatch(bytes, 'g2')).toBeNull();
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => void decodeBatch(bytes, 'g1')));
  });

  it('a batch reaches every gateway, and a gateway starting later replays the log', async () => {
    const g = line(50);
    const e = await engine();
    const a = new TrafficFeed(e, g);
    const b = new TrafficFeed(e, g);
    await a.start();
    await b.start();
    const now = Date.now();
    const edges = Uint32Array.from({ length: 40 }, (_, i) => i);
    expect(await a.submit({ edges, speeds: new Float32Array(40).fill(5), expires: new Float64Array(40).fill(now + 60_000) })).toBe(40);
    expect(a.live.speedAt(7, Date.now())).toBe(5);
    await expect.poll(() => b.live.speedAt(7, Date.now())).toBe(5);
    expect(a.live.version).toBe(1); // its own echo is not applied twice
    const late = new TrafficFeed(e, g);
    await late.start();
    expect(late.live.speedAt(39, Date.now())).toBe(5);
    expect(Number.isNaN(late.live.speedAt(45, Date.now()))).toBe(true);
    await Promise.all([a.stop(), b.stop(), late.stop()]);
  });

  it('expired speeds no longer apply', () => {
    const g = line(3);
    const e = new TrafficFeed(new MemoryEngine(), g, () => 1000);
    e.live.apply(Uint32Array.of(0), Float32Array.of(0), Float64Array.of(2000), 1000);
    expect(e.live.speedAt(0, 1500)).toBe(0);
    expect(Number.isNaN(e.live.speedAt(0, 2000))).toBe(true);
  });
});
