import type { OsmItem } from './osm-item.js';
import { RoadGraphImporter, type ImportResult } from './road-graph-importer.js';

/** Builds the car graph from already-parsed OSM items (any order): hand-made fixtures, tests, tools. */
export function buildRoadGraph(items: Iterable<OsmItem>): ImportResult {
  const importer = new RoadGraphImporter();
  for (const item of items) importer.add(item);
  return importer.finish();
}
