import { EdgeFlag, RoadClass } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';
import { RoadGraphBuilder } from '../graph/road-graph-builder.js';
import { applyRestriction } from './apply-restriction.js';
import { GraphNodes } from './graph-nodes.js';
import { emptyStats, type ImportStats } from './import-stats.js';
import { NodeCoords } from './node-coords.js';
import type { OsmItem } from './osm-item.js';
import { SegmentTable } from './segment-table.js';
import { readTurnRestriction, type TurnRestriction } from './turn-restriction.js';
import { addWayEdges } from './way-edges.js';
import { wayProfile, type WayProfile } from './way-profile.js';

export interface ImportResult {
  graph: RoadGraph;
  stats: ImportStats;
}

interface KeptWay {
  readonly id: number;
  readonly refs: readonly number[];
  readonly profile: WayProfile;
}

/**
 * Collects OSM items in any order, then builds the car graph in finish(). While the stream runs it
 * keeps every node's coordinates, the car ways (tags already reduced to a profile) and the car turn
 * restrictions; nothing is resolved before the end, because a PBF lists ways after the nodes they use
 * and relations after the ways they name (and test fixtures need not follow that order at all).
 */
export class RoadGraphImporter {
  private readonly started = performance.now();
  private readonly stats = emptyStats();
  private readonly coords = new NodeCoords();
  private readonly ways: KeptWay[] = [];
  private readonly restrictions: TurnRestriction[] = [];

  add(item: OsmItem): void {
    switch (item.type) {
      case 'node':
        this.coords.add(item.id, item.lat, item.lon);
        return;
      case 'way': {
        const profile = wayProfile(item.tags);
        if (typeof profile === 'string') this.stats.ways.skipped[profile]++;
        else this.ways.push({ id: item.id, refs: item.refs, profile });
        return;
      }
      case 'relation': {
        const r = readTurnRestriction(item);
        if (r === null) return;
        if (typeof r === 'string') this.stats.restrictions.skipped[r]++;
        else this.restrictions.push(r);
        return;
      }
    }
  }

  finish(): ImportResult {
    this.coords.seal();
    const builder = new RoadGraphBuilder();
    const nodes = new GraphNodes(this.coords, builder);
    let maxSegments = 0;
    for (const w of this.ways) maxSegments += Math.max(0, w.refs.length - 1);
    const segments = new SegmentTable(maxSegments, this.ways.length);
    const stats = this.stats;

    for (const w of this.ways) {
      const made = addWayEdges(w.id, w.refs, w.profile, { coords: this.coords, nodes, builder, segments });
      if (made.segments === 0) {
        stats.ways.skipped.noSegment++;
        continue;
      }
      stats.ways.kept++;
      if (made.split) stats.ways.split++;
      if (w.profile.forward !== w.profile.backward) stats.oneways++;
      if (w.profile.flags & EdgeFlag.toll) stats.tolls++;
      if (w.profile.roadClass === RoadClass.ferry) stats.ferries++;
    }

    const ctx = { nodes, segments, builder, nodeCount: builder.nodeCount };
    for (const r of this.restrictions) {
      const outcome = applyRestriction(r, ctx);
      if (outcome === 'applied') stats.restrictions.applied++;
      else stats.restrictions.skipped[outcome]++;
    }

    const graph = builder.build();
    stats.nodes = graph.nodeCount;
    stats.edges = graph.edgeCount;
    stats.bannedTurns = graph.bannedTurns.size;
    stats.ms = Math.round(performance.now() - this.started);
    return { graph, stats };
  }
}
