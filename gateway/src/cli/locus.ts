/**
 * `npm run locus -- import <file.osm.pbf> [--tiles DIR]`
 * Builds the routing tiles of an OSM extract (car road graph cut into per-level geohash tiles) with a
 * progress bar, into LOCUS_ROUTING_TILES_DIR (or --tiles). A gateway does the same at start when the
 * tiles for its extract are missing; this command lets an operator build them ahead of a deploy.
 */
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { graphVersion, readRoadGraph, writeTiles } from '@locus/routing';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfigOrExit } from '../config.js';
import { tileDirFor } from '../routing/routing-data.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { tiles: { type: 'string' } } });
const [command, file] = positionals;
if (command !== 'import' || !file) {
  console.error('usage: npm run locus -- import <file.osm.pbf> [--tiles DIR]');
  process.exit(2);
}
const config = loadConfigOrExit();
const tilesDir = values.tiles ?? config.routing.tilesDir;
const bar = new SingleBar({ format: 'reading  [{bar}] {percentage}% | {value}/{total} MB', hideCursor: true }, Presets.shades_classic);
let started = false;
const { graph, stats } = await readRoadGraph(file, (read, total) => {
  if (!started) {
    bar.start(Math.ceil(total / 1e6), 0);
    started = true;
  }
  bar.update(Math.round(read / 1e6));
});
bar.stop();
const { dir, source } = await tileDirFor(file, tilesDir);
await rm(dir, { recursive: true, force: true });
const manifest = await writeTiles(graph, dir, graphVersion(graph), source);
console.log(
  `${stats.nodes} nodes, ${stats.edges} edges, ${stats.restrictions.applied} turn restrictions → ${manifest.tiles.length} tiles, ` +
    `${(manifest.totalBytes / 1024).toFixed(0)} KiB in ${join(dir)} (${Math.round(stats.ms)} ms to read)`,
);
