import type { OsmRelation } from './osm-item.js';

/** A turn restriction relation read for cars, by OSM ids; resolved to edges once the graph exists. */
export interface TurnRestriction {
  readonly id: number;
  /** only_* (the single allowed turn) rather than no_* (a forbidden turn). */
  readonly only: boolean;
  /** One way normally; no_entry may list several. */
  readonly fromWays: readonly number[];
  readonly viaNode: number;
  /** One way normally; no_exit may list several. */
  readonly toWays: readonly number[];
}

export type RestrictionSkipReason =
  /** Only other vehicles are restricted (restriction:hgv…, conditional only), or cars are exempt (except=motorcar). */
  | 'notForCars'
  /** A restriction value that is neither no_* nor only_* (e.g. give_way, a typo). */
  | 'unsupported'
  /**
   * The via is a way (or several): "no U-turn across this dual carriageway section". The graph
   * contract bans turns between two edges at a node, which cannot say "after from then via, not
   * into to", so these are skipped; a turn-expanded search would be needed.
   */
  | 'viaWay'
  /** No from, no to, no via, several via nodes, or a via that is a relation. */
  | 'malformed'
  /** A member way is not a car road of the graph, or the via node is not in the graph (outside the extract). */
  | 'missingMember'
  /** No edge of the from way enters the via node, or none of the to way leaves it (oneway, or not touching). */
  | 'notAdjacent';

/** Reads a relation as a car turn restriction; null when it is not a restriction relation at all. */
export function readTurnRestriction(rel: OsmRelation): TurnRestriction | RestrictionSkipReason | null {
  const tags = rel.tags;
  if (tags?.type !== 'restriction') return null;
  const value = tags['restriction:motorcar'] ?? tags['restriction:motor_vehicle'] ?? tags.restriction;
  if (value === undefined) return 'notForCars';
  if (exempts(tags.except)) return 'notForCars';
  const only = value.startsWith('only_');
  if (!only && !value.startsWith('no_')) return 'unsupported';

  const fromWays: number[] = [];
  const toWays: number[] = [];
  const vias = rel.members.filter((m) => m.role === 'via');
  if (vias.some((m) => m.type === 'way')) return 'viaWay';
  const via = vias[0];
  if (vias.length !== 1 || via === undefined || via.type !== 'node') return 'malformed';
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    if (m.role === 'from') fromWays.push(m.ref);
    else if (m.role === 'to') toWays.push(m.ref);
  }
  if (fromWays.length === 0 || toWays.length === 0) return 'malformed';
  return { id: rel.id, only, fromWays, viaNode: via.ref, toWays };
}

/** except=* lists the vehicles the restriction does not apply to ("psv;bicycle", "motorcar"). */
function exempts(except: string | undefined): boolean {
  if (except === undefined) return false;
  return except.split(';').some((v) => {
    const t = v.trim();
    return t === 'motorcar' || t === 'motor_vehicle';
  });
}
