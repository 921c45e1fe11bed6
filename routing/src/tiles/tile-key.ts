import ngeohash from 'ngeohash';
import { Level, levelOf, type LevelId } from '../graph/road-class.js';
import type { RoadGraph } from '../graph/road-graph.js';

/**
 * Routing tiles: the graph cut by geohash cells, coarse cells for the highway level and fine ones for
 * local roads (a motorway crosses many local cells but few highway ones; a route's long middle part
 * touches only coarse tiles). An edge belongs to the tile of its level that holds its source node.
 */
export const LEVEL_PRECISION: Readonly<Record<LevelId, number>> = { [Level.highway]: 3, [Level.arterial]: 4, [Level.local]: 5 };
export const LEVEL_NAMES: Readonly<Record<LevelId, string>> = { [Level.highway]: 'highway', [Level.arterial]: 'arterial', [Level.local]: 'local' };

export interface TileKey {
  level: LevelId;
  hash: string;
}

export const tileName = (k: TileKey): string => `${LEVEL_NAMES[k.level]}/${k.hash}`;

export function edgeTile(g: RoadGraph, e: number): TileKey {
  // A lazily loaded graph knows every edge's tile, loaded or not (its columns may not be there yet).
  if (g.lazy !== undefined) {
    const k = g.lazy.tileOf(e);
    return { level: k.level as LevelId, hash: k.hash };
  }
  const level = levelOf(g.edgeClass[e]!);
  const n = g.edgeSource[e]!;
  return { level, hash: ngeohash.encode(g.nodeLat[n]!, g.nodeLng[n]!, LEVEL_PRECISION[level]) };
}

/** The tile of `level` holding a node (where an edge's target continues). */
export function nodeTile(g: RoadGraph, n: number, level: LevelId): TileKey {
  return { level, hash: ngeohash.encode(g.nodeLat[n]!, g.nodeLng[n]!, LEVEL_PRECISION[level]) };
}
