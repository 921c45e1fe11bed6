import type { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import type { GraphNodes } from './graph-nodes.js';
import type { SegmentTable } from './segment-table.js';
import type { RestrictionSkipReason, TurnRestriction } from './turn-restriction.js';

export interface RestrictionContext {
  readonly nodes: GraphNodes;
  readonly segments: SegmentTable;
  readonly builder: RoadGraphBuilder;
  /** Graph nodes so far (the out-edge index is sized by it). */
  readonly nodeCount: number;
}

/**
 * Turns a restriction into banned edge pairs at its via node. From-edges are the edges of the from
 * way that ENTER the via node, to-edges those of the to way that LEAVE it; a two-way way offers one
 * per direction and the restriction applies to whichever exist (a one-way from way pointing away from
 * the via has none: the relation is then 'notAdjacent').
 *
 * only_*: banned = every other edge leaving the via, computed here rather than with the builder's
 * `only` flag, because that flag takes a single allowed edge while a to way that passes through the
 * via (instead of ending there) leaves it by two.
 */
export function applyRestriction(r: TurnRestriction, ctx: RestrictionContext): 'applied' | RestrictionSkipReason {
  const via = ctx.nodes.ofOsmId(r.viaNode);
  if (via < 0) return 'missingMember';
  for (const w of [...r.fromWays, ...r.toWays]) if (!ctx.segments.hasWay(w)) return 'missingMember';

  const from = r.fromWays.flatMap((w) => ctx.segments.entering(w, via));
  const to = r.toWays.flatMap((w) => ctx.segments.leaving(w, via));
  if (from.length === 0 || to.length === 0) return 'notAdjacent';

  const banned = r.only ? [...ctx.segments.outEdges(via, ctx.nodeCount)].filter((e) => !to.includes(e)) : to;
  for (const f of from) for (const t of banned) ctx.builder.restrict(f, t, false);
  return 'applied';
}
