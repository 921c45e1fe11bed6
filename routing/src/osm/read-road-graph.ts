import { createReadStream, statSync } from 'node:fs';
import { OSMTransform } from 'osm-pbf-parser-node';
import type { OsmItem } from './osm-item.js';
import { RoadGraphImporter, type ImportResult } from './road-graph-importer.js';

export type ImportProgressFn = (bytesRead: number, totalBytes: number) => void;

/** What the parser yields: items, or the file header (no `type`), one array per PBF block. */
type ParsedItem = OsmItem | { readonly type?: undefined };

/**
 * Reads an .osm.pbf into the car RoadGraph in one streaming pass (see NodeCoords for why one pass).
 * Node tags are not decoded: the import needs only node coordinates.
 */
export async function readRoadGraph(path: string, onProgress?: ImportProgressFn): Promise<ImportResult> {
  const total = statSync(path).size;
  const importer = new RoadGraphImporter();
  const input = createReadStream(path);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onProgress?.(read, total);
  });
  const parser = input.pipe(new OSMTransform({ withTags: { node: false, way: true, relation: true }, withInfo: false }));
  for await (const batch of parser as AsyncIterable<ParsedItem | ParsedItem[]>) {
    const items = Array.isArray(batch) ? batch : [batch];
    for (const item of items) if (item.type !== undefined) importer.add(item);
  }
  onProgress?.(total, total);
  return importer.finish();
}
