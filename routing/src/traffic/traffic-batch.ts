import { LocusError } from '@locus/protocol';
import { z } from 'zod';
import type { RoadGraph } from '../graph/road-graph.js';
import type { WayIndex } from './way-index.js';

/** Most updates in one POST: a batch is applied in one synchronous loop. */
export const MAX_BATCH = 10_000;
/** Longest a live speed may be set for. */
export const MAX_EXPIRY_MS = 24 * 3_600_000;

const Update = z
  .object({
    edge: z.number().int().nonnegative().optional(),
    way: z.number().int().positive().optional(),
    direction: z.enum(['forward', 'backward', 'both']).optional(),
    /** km/h; 0 closes the road. */
    speed: z.number().refine(Number.isFinite, 'must be a finite number').refine((v) => v >= 0 && v <= 300, 'speed must be in [0, 300] km/h'),
    /** ms since the epoch, or… */
    expires: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
    /** …seconds from now. */
    ttl: z.number().int().min(1).max(MAX_EXPIRY_MS / 1000).optional(),
  })
  .strict()
  .refine((u) => (u.edge === undefined) !== (u.way === undefined), 'give either edge or way')
  .refine((u) => (u.expires === undefined) !== (u.ttl === undefined), 'give either expires or ttl');

export const TrafficBody = z.object({ updates: z.array(Update).min(1).max(MAX_BATCH) }).strict();
export type TrafficBody = z.infer<typeof TrafficBody>;

export interface ResolvedBatch {
  edges: Uint32Array;
  speeds: Float32Array;
  expires: Float64Array;
  /** Random id given when encoded: a gateway recognises its own batch coming back on the channel. */
  nonce?: number;
}

/** Way + direction → edge ids; validation that needs the graph (edge range, known way, expiry window). */
export function resolveBatch(body: TrafficBody, graph: RoadGraph, ways: WayIndex, now: number): ResolvedBatch {
  const edges: number[] = [];
  const speeds: number[] = [];
  const expires: number[] = [];
  body.updates.forEach((u, i) => {
    const until = u.expires ?? now + u.ttl! * 1000;
    if (until <= now || until > now + MAX_EXPIRY_MS) {
      throw new LocusError('BAD_REQUEST', `updates.${i}.expires: must be in the next 24 h`, { field: `updates.${i}.expires` });
    }
    const push = (e: number): void => {
      edges.push(e);
      speeds.push(u.speed);
      expires.push(until);
    };
    if (u.edge !== undefined) {
      if (u.edge >= graph.edgeCount) throw new LocusError('BAD_REQUEST', `updates.${i}.edge: no such edge`, { field: `updates.${i}.edge` });
      push(u.edge);
      return;
    }
    const w = ways.get(u.way!);
    if (!w) throw new LocusError('BAD_REQUEST', `updates.${i}.way: not a routable way of this map`, { field: `updates.${i}.way` });
    const dir = u.direction ?? 'both';
    if (dir !== 'backward') w.forward.forEach(push);
    if (dir !== 'forward') w.backward.forEach(push);
  });
  return { edges: Uint32Array.from(edges), speeds: Float32Array.from(speeds), expires: Float64Array.from(expires) };
}

/**
 * Wire form for the engine, little-endian: [count u32][nonce u32][tag length u8][graph version tag]
 * [edges u32…][speeds f32…][expires f64…].
 */
export function encodeBatch(b: ResolvedBatch, graphVersion: string, nonce: number): Uint8Array {
  const n = b.edges.length;
  const tag = new TextEncoder().encode(graphVersion);
  const out = new Uint8Array(HEADER + tag.length + n * 16);
  const v = new DataView(out.buffer);
  v.setUint32(0, n, true);
  v.setUint32(4, nonce >>> 0, true);
  out[8] = tag.length;
  out.set(tag, HEADER);
  let p = HEADER + tag.length;
  for (let i = 0; i < n; i++, p += 4) v.setUint32(p, b.edges[i]!, true);
  for (let i = 0; i < n; i++, p += 4) v.setFloat32(p, b.speeds[i]!, true);
  for (let i = 0; i < n; i++, p += 8) v.setFloat64(p, b.expires[i]!, true);
  return out;
}

/** null for garbage or a batch made for another graph build (its edge ids would mean other roads). */
export function decodeBatch(bytes: Uint8Array, graphVersion: string): ResolvedBatch | null {
  if (bytes.byteLength < HEADER) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = v.getUint32(0, true);
  const nonce = v.getUint32(4, true);
  const tagLen = bytes[8]!;
  if (bytes.byteLength !== HEADER + tagLen + n * 16) return null;
  if (new TextDecoder().decode(bytes.subarray(HEADER, HEADER + tagLen)) !== graphVersion) return null;
  let p = HEADER + tagLen;
  const edges = new Uint32Array(n);
  const speeds = new Float32Array(n);
  const expires = new Float64Array(n);
  for (let i = 0; i < n; i++, p += 4) edges[i] = v.getUint32(p, true);
  for (let i = 0; i < n; i++, p += 4) speeds[i] = v.getFloat32(p, true);
  for (let i = 0; i < n; i++, p += 8) expires[i] = v.getFloat64(p, true);
  return { edges, speeds, expires, nonce };
}

const HEADER = 9;
