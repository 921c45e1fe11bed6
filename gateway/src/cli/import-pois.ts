/**
 * `npm run import:pois -- [file.osm.pbf] [--tz Europe/Monaco]`
 * Imports the named POIs (amenity / shop / tourism) of an OSM extract as businesses into the engine
 * configured by the environment (LOCUS_ENGINE, LOCUS_REDIS_URL, LOCUS_REDIS_PREFIX), with a progress
 * bar. Ids are `osm-<n|w><id>`, so a re-import updates in place. Running gateways pick the writes up
 * through the business change channel. (With the memory engine there is nothing to import into from
 * another process: the gateway seeds itself at start from LOCUS_SEED_OSM.)
 */
import { parseArgs } from 'node:util';
import { createEngine } from '@locus/engine';
import { BusinessStore, readOsmExtract, seedBusinesses } from '@locus/geo';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfigOrExit } from '../config.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { tz: { type: 'string' } } });
const config = loadConfigOrExit();
const file = positionals[0] ?? config.geo.osmPath;
const tz = values.tz ?? config.geo.seedTz;
if (!file) {
  console.error('usage: npm run import:pois -- <file.osm.pbf> [--tz Area/City]');
  process.exit(2);
}
if (config.engine.kind === 'memory') console.error('note: LOCUS_ENGINE=memory — the import lives only as long as this process');

const bar = new SingleBar({ format: '{phase} [{bar}] {percentage}% | {value}/{total}', hideCursor: true }, Presets.shades_classic);
bar.start(100, 0, { phase: 'reading ' });
const extract = await readOsmExtract(file, (read, total) => bar.update(Math.round((read / total) * 100)));
bar.stop();
const engine = createEngine(config.engine);
await engine.connect();
bar.start(extract.pois.length, 0, { phase: 'writing ' });
const report = await seedBusinesses(new BusinessStore(engine), extract.pois, tz, (done) => bar.update(done));
bar.stop();
await engine.close();
console.log(`imported ${report.imported} businesses from ${file}, skipped ${report.skipped} that did not validate`);
