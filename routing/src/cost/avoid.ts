import { EdgeFlag } from '../graph/road-class.js';

/** false = no preference; true = never use (hard exclusion); p in (0, 1) = prefer not to (soft). */
export type Avoidance = boolean | number;

export interface AvoidOptions {
  tolls?: Avoidance;
  highways?: Avoidance;
  ferries?: Avoidance;
}

/**
 * A soft avoidance p multiplies the cost of a matching edge by 1 + SOFT_AVOID_K·p: p = 0.25 doubles it,
 * p = 0.5 triples it, p → 1 approaches ×5. So a route avoiding a 10-minute toll section is preferred
 * when the detour costs less than 10·K·p extra minutes. Multipliers are ≥ 1: costs only ever increase,
 * so the free-flow A* bound stays admissible.
 */
export const SOFT_AVOID_K = 4;

/**
 * Cost multiplier for every combination of EdgeFlag bits (a 256-entry table), Infinity where a hard
 * exclusion applies: one table read per edge instead of a branch per option. Edges with several
 * avoided flags (a toll motorway) multiply the factors.
 */
export function avoidMultipliers(avoid: AvoidOptions = {}): Float64Array {
  const toll = factor('tolls', avoid.tolls);
  const highway = factor('highways', avoid.highways);
  const ferry = factor('ferries', avoid.ferries);
  // Shared per option set (callers only read it): a costing is made per route request, and a new
  // 2 KB table each time was ~2 MB of ArrayBuffers per closure's thousand re-checks (see TrackBuffers).
  const key = `${toll}|${highway}|${ferry}`;
  const known = tables.get(key);
  if (known) return known;
  const table = new Float64Array(256);
  for (let flags = 0; flags < 256; flags++) {
    let f = 1;
    if (flags & EdgeFlag.toll) f *= toll;
    if (flags & EdgeFlag.highway) f *= highway;
    if (flags & EdgeFlag.ferry) f *= ferry;
    table[flags] = f;
  }
  if (tables.size >= 64) tables.clear(); // only a handful of option sets exist in practice
  tables.set(key, table);
  return table;
}

const tables = new Map<string, Float64Array>();

function factor(name: string, a: Avoidance | undefined): number {
  if (a === undefined || a === false) return 1;
  if (a === true) return Infinity;
  if (!(a >= 0 && a < 1)) throw new RangeError(`avoid.${name}: a preference must be in [0, 1) (use true to exclude), got ${a}`);
  return 1 + SOFT_AVOID_K * a;
}
