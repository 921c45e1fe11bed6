import type { OsmExtract } from '../osm/osm-extract.js';
import { addressEntry, placeEntry, streetEntry, type EntryDraft } from './entries.js';
import { PostingsBuilder } from './postings.js';
import { streetsOf } from './streets.js';
import type { GeocodeData } from './types.js';

/**
 * Extract → index data. Entry ids: addresses, then streets, then places. A POI that also has an
 * address (the extract reports both for one OSM element) becomes the address entry only, carrying
 * the POI's name, so a search does not answer the same building twice.
 */
export function buildGeocodeData(extract: OsmExtract): GeocodeData {
  const poiById = new Map(extract.pois.map((p) => [p.osmId, p]));
  const addressed = new Set<string>();
  const drafts: EntryDraft[] = [];
  for (const a of extract.addresses) {
    addressed.add(a.osmId);
    drafts.push(addressEntry(a, poiById.get(a.osmId)));
  }
  const streets = streetsOf(extract.roads);
  const firstStreet = drafts.length;
  for (const s of streets) drafts.push(streetEntry(s));
  for (const p of extract.pois) if (!addressed.has(p.osmId)) drafts.push(placeEntry(p));

  const n = drafts.length;
  const data: GeocodeData = {
    kind: new Uint8Array(n),
    lat: new Float64Array(n),
    lng: new Float64Array(n),
    mainSlots: new Uint8Array(n),
    nameSlots: new Uint8Array(n),
    tokenCount: new Uint8Array(n),
    records: [],
    postings: new Map(),
    lineCoords: new Float64Array(0),
    lineStart: new Uint32Array(0),
    lineEntry: new Uint32Array(0),
  };
  const postings = new PostingsBuilder();
  drafts.forEach((d, id) => {
    data.kind[id] = d.kind;
    data.lat[id] = d.lat;
    data.lng[id] = d.lng;
    // Counters are bytes: 255 words is far beyond any real name.
    data.mainSlots[id] = Math.min(255, d.mainSlots);
    data.nameSlots[id] = Math.min(255, d.nameSlots);
    data.tokenCount[id] = Math.min(255, d.tokens.size);
    data.records.push(d.record);
    for (const [token, fields] of d.tokens) postings.add(token, id, fields);
  });
  data.postings = postings.build();
  Object.assign(data, packLines(streets.map((s, i) => ({ entry: firstStreet + i, lines: s.lines }))));
  return data;
}

/** Street polylines end to end in one typed array, with per-line start offsets and owners. */
function packLines(streets: readonly { entry: number; lines: readonly Float64Array[] }[]): Pick<GeocodeData, 'lineCoords' | 'lineStart' | 'lineEntry'> {
  let pairs = 0;
  let count = 0;
  for (const s of streets) {
    for (const l of s.lines) {
      pairs += l.length / 2;
      count++;
    }
  }
  const lineCoords = new Float64Array(pairs * 2);
  const lineStart = new Uint32Array(count + 1);
  const lineEntry = new Uint32Array(count);
  let at = 0;
  let i = 0;
  for (const s of streets) {
    for (const l of s.lines) {
      lineCoords.set(l, at * 2);
      lineStart[i] = at;
      lineEntry[i] = s.entry;
      at += l.length / 2;
      i++;
    }
  }
  lineStart[count] = at;
  return { lineCoords, lineStart, lineEntry };
}
