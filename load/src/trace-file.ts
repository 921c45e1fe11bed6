/** The traces file of this repository, read once, for the harness (the artillery processor finds its own). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseTraces, type Track } from './traces.js';

export const TRACES_FILE = fileURLToPath(new URL('../../data/berlin_gps_traces.csv.gz', import.meta.url));

let cached: Track[] | undefined;

/** All tracks with at least `minPoints` points (default 20), longest first. */
export function loadTraces(minPoints = 20): Track[] {
  cached ??= parseTraces(gunzipSync(readFileSync(TRACES_FILE)).toString('utf8'));
  return cached.filter((t) => t.length >= minPoints).sort((a, b) => b.length - a.length);
}
