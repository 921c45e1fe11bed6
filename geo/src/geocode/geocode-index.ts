import { LocusError } from '@locus/protocol';
import { readOsmExtract, type OsmExtract } from '../osm/osm-extract.js';
import { buildGeocodeData } from './build.js';
import { ForwardSearch } from './forward-search.js';
import { TokenDictionary } from './postings.js';
import { parseQuery } from './query.js';
import { ReverseSearch } from './reverse-search.js';
import { decodeGeocodeData, encodeGeocodeData } from './serialize.js';
import { KIND_CODES, type GeocodeForwardOptions, type GeocodeData, type GeocodeResult, type ReverseGeocodeResult } from './types.js';
import { checkLatLng, checkLimit, DEFAULT_LIMIT } from './validate.js';

export interface GeocodeStats {
  entries: number;
  addresses: number;
  streets: number;
  places: number;
  tokens: number;
  postings: number;
  streetSegments: number;
}

/**
 * Forward and reverse geocoding over one OSM extract. Build it from an extract (or a PBF path) once at
 * start-up, or load bytes written by toBytes(); then forward() and reverse() are synchronous,
 * in-memory and allocate little beyond their answers. Bad input throws LocusError('BAD_REQUEST').
 */
export class GeocodeIndex {
  private readonly dict: TokenDictionary;
  private readonly forwardSearch: ForwardSearch;
  private readonly reverseSearch: ReverseSearch;

  private constructor(private readonly data: GeocodeData) {
    this.dict = new TokenDictionary(data.postings);
    this.forwardSearch = new ForwardSearch(data, this.dict);
    this.reverseSearch = new ReverseSearch(data);
  }

  static fromExtract(extract: OsmExtract): GeocodeIndex {
    return new GeocodeIndex(buildGeocodeData(extract));
  }

  static async fromPbf(path: string): Promise<GeocodeIndex> {
    return GeocodeIndex.fromExtract(await readOsmExtract(path));
  }

  static fromBytes(bytes: Uint8Array): GeocodeIndex {
    return new GeocodeIndex(decodeGeocodeData(bytes));
  }

  toBytes(): Uint8Array {
    return encodeGeocodeData(this.data);
  }

  /** Best matches for free text, best first (empty when nothing matches). */
  forward(q: string, opts: GeocodeForwardOptions = {}): GeocodeResult[] {
    if (typeof q !== 'string') throw new LocusError('BAD_REQUEST', 'q: must be a string', { field: 'q' });
    const limit = opts.limit ?? DEFAULT_LIMIT;
    checkLimit(limit);
    if (opts.near) checkLatLng(opts.near.lat, opts.near.lng, 'near');
    const terms = parseQuery(q);
    return this.forwardSearch.search(terms, limit, opts.near).map((h) => {
      const r = this.data.records[h.id]!;
      const out: GeocodeResult = {
        label: r.label,
        lat: this.data.lat[h.id]!,
        lng: this.data.lng[h.id]!,
        kind: KIND_CODES[this.data.kind[h.id]!]!,
        score: Math.round(h.score * 10_000) / 10_000,
      };
      if (r.name !== undefined) out.name = r.name;
      if (r.address) out.address = { ...r.address };
      return out;
    });
  }

  /** The address at a point (within 100 m), else the street (within 200 m), else null. */
  reverse(lat: number, lng: number): ReverseGeocodeResult | null {
    checkLatLng(lat, lng);
    const hit = this.reverseSearch.lookup(lat, lng);
    if (!hit) return null;
    const r = this.data.records[hit.id]!;
    const out: ReverseGeocodeResult = {
      label: r.label,
      lat: hit.lat,
      lng: hit.lng,
      kind: KIND_CODES[this.data.kind[hit.id]!] === 'address' ? 'address' : 'street',
      distance: Math.round(hit.distance * 10) / 10,
    };
    if (r.name !== undefined) out.name = r.name;
    if (r.address) out.address = { ...r.address };
    return out;
  }

  stats(): GeocodeStats {
    const d = this.data;
    const count = (k: number): number => d.kind.reduce((n, x) => n + (x === k ? 1 : 0), 0);
    let postings = 0;
    for (const l of d.postings.values()) postings += l.length;
    return {
      entries: d.kind.length,
      addresses: count(0),
      streets: count(1),
      places: count(2),
      tokens: d.postings.size,
      postings,
      streetSegments: this.reverseSearch.segmentCount,
    };
  }
}
