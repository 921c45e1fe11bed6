import type { CostModel, Phantoms, RoadGraph, Route } from '@locus/routing';
import { newSamples, type Samples } from './route-stats.js';
import type { Query } from './route-queries.js';

export type Search = (graph: RoadGraph, costing: CostModel, from: Phantoms, to: Phantoms) => Route | null;

export interface Run {
  samples: Samples;
  /** Route cost per query (Infinity when none was found). */
  costs: number[];
}

/** Times `search` on every query, one at a time (after `warmup` untimed queries for the JIT). */
export function runQueries(graph: RoadGraph, costing: CostModel, search: Search, queries: readonly Query[], warmup = 3): Run {
  for (let i = 0; i < Math.min(warmup, queries.length); i++) search(graph, costing, queries[i]!.source, queries[i]!.target);
  const samples = newSamples();
  const costs: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const r = search(graph, costing, q.source, q.target);
    samples.ms.push(performance.now() - t0);
    samples.settled.push(r?.settled ?? 0);
    costs.push(r?.cost ?? Infinity);
  }
  return { samples, costs };
}

/** How many costs differ from the reference by more than 1e-6 relative (null/non-null mismatches included). */
export function mismatches(costs: readonly number[], reference: readonly number[]): number {
  let bad = 0;
  for (let i = 0; i < Math.min(costs.length, reference.length); i++) {
    const a = costs[i]!;
    const b = reference[i]!;
    if (a === b) continue;
    if (!(Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(b), 1e-9))) bad++;
  }
  return bad;
}

/** Relative gaps cost / optimum - 1 of an inexact search (pairs where both found a route). */
export function gaps(costs: readonly number[], optimum: readonly number[]): { mean: number; max: number; below: number; exact: number } {
  let sum = 0;
  let max = 0;
  let n = 0;
  let below = 0;
  let exact = 0;
  for (let i = 0; i < Math.min(costs.length, optimum.length); i++) {
    const c = costs[i]!;
    const o = optimum[i]!;
    if (!Number.isFinite(c) || !Number.isFinite(o) || o === 0) continue;
    const g = c / o - 1;
    if (g < -1e-9) below++;
    if (g <= 1e-9) exact++;
    sum += g;
    if (g > max) max = g;
    n++;
  }
  return { mean: n ? sum / n : Number.NaN, max, below, exact };
}
