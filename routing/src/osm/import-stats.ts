import type { RestrictionSkipReason } from './turn-restriction.js';
import type { WaySkipReason } from './way-profile.js';

/** What an import kept and dropped, and why: the numbers to check an extract against. */
export interface ImportStats {
  ways: {
    /** Ways that made at least one edge. */
    kept: number;
    skipped: Record<WaySkipReason, number>;
    /** Kept ways with a node missing from the extract (clipped at its border): cut there. */
    split: number;
  };
  /** Kept ways drivable one way only. */
  oneways: number;
  /** Kept ways with toll=yes. */
  tolls: number;
  /** Kept car ferry ways. */
  ferries: number;
  restrictions: {
    /** Relations resolved to edges at their via node (what they ban is in the graph's bannedTurns). */
    applied: number;
    skipped: Record<RestrictionSkipReason, number>;
  };
  nodes: number;
  edges: number;
  /** Entries of graph.bannedTurns (an only_* restriction bans several turns). */
  bannedTurns: number;
  /** Wall time of the whole import, including reading the file. */
  ms: number;
}

export function emptyStats(): ImportStats {
  return {
    ways: {
      kept: 0,
      skipped: { notRoad: 0, notForCars: 0, noAccess: 0, area: 0, passengerFerry: 0, reversible: 0, noSegment: 0 },
      split: 0,
    },
    oneways: 0,
    tolls: 0,
    ferries: 0,
    restrictions: {
      applied: 0,
      skipped: { notForCars: 0, unsupported: 0, viaWay: 0, malformed: 0, missingMember: 0, notAdjacent: 0 },
    },
    nodes: 0,
    edges: 0,
    bannedTurns: 0,
    ms: 0,
  };
}
