import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOsmExtract, type OsmExtract } from '../osm/osm-extract.js';
import { GeocodeIndex } from './geocode-index.js';
import { GEOCODE_FORMAT, GEOCODE_FORMAT_VERSION } from './serialize.js';

const MONACO_PBF = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
const QUERIES = ['Quai Antoine 1er', 'bd des moulins', '6 quai antoine 1er', '12 quai antoine 1er', 'quai ant', 'stars n bars', 'rue xyzzy', 'casino', 'avenue de verdun', 'la', 'rue'];

describe('GeocodeIndex serialisation (Monaco extract)', () => {
  let extract: OsmExtract;
  let index: GeocodeIndex;
  let bytes: Uint8Array;
  let loaded: GeocodeIndex;
  beforeAll(async () => {
    extract = await readOsmExtract(MONACO_PBF);
    index = GeocodeIndex.fromExtract(extract);
    bytes = index.toBytes();
    loaded = GeocodeIndex.fromBytes(bytes);
  });

  it('round-trips to an index that gives identical answers', () => {
    expect(loaded.stats()).toEqual(index.stats());
    for (const q of QUERIES) {
      expect(loaded.forward(q, { limit: 50 }), q).toEqual(index.forward(q, { limit: 50 }));
      expect(loaded.forward(q, { near: { lat: 43.75, lng: 7.44 } }), q).toEqual(index.forward(q, { near: { lat: 43.75, lng: 7.44 } }));
    }
    const { south, west, north, east } = extract.bbox;
    fc.assert(
      fc.property(fc.double({ min: south, max: north, noNaN: true }), fc.double({ min: west, max: east, noNaN: true }), (lat, lng) => {
        expect(loaded.reverse(lat, lng)).toEqual(index.reverse(lat, lng));
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same extract gives the same bytes, and so does a reloaded index', () => {
    expect(Buffer.from(GeocodeIndex.fromExtract(extract).toBytes()).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(loaded.toBytes()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('loads from bytes at any alignment (a slice of a larger file)', () => {
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const again = GeocodeIndex.fromBytes(shifted.subarray(3));
    expect(again.forward('quai antoine 1er')).toEqual(index.forward('quai antoine 1er'));
  });

  it('refuses data that is not a geocode index of this version', () => {
    const packr = new Packr({ useRecords: false });
    expect(() => GeocodeIndex.fromBytes(packr.pack({ hello: 'world' }))).toThrow(/not a Locus geocode index/);
    expect(() => GeocodeIndex.fromBytes(packr.pack({ format: GEOCODE_FORMAT, version: GEOCODE_FORMAT_VERSION + 1 }))).toThrow(/format/);
    expect(() => GeocodeIndex.fromBytes(packr.pack({ format: GEOCODE_FORMAT, version: GEOCODE_FORMAT_VERSION, littleEndian: true }))).toThrow();
    expect(() => GeocodeIndex.fromBytes(bytes.subarray(0, bytes.length >> 1))).toThrow();
  });
});
