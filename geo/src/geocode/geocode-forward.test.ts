import { LocusError } from '@locus/protocol';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { haversineMeters } from '../distance.js';
import { readOsmExtract } from '../osm/osm-extract.js';
import { GeocodeIndex } from './geocode-index.js';

const MONACO_PBF = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));
/** Stars n Bars, 6 Quai Antoine 1er (node 267901435). */
const STARS_N_BARS = { lat: 43.7329221, lng: 7.4257905 };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof LocusError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('GeocodeIndex.forward (Monaco extract)', () => {
  let index: GeocodeIndex;
  beforeAll(async () => {
    index = GeocodeIndex.fromExtract(await readOsmExtract(MONACO_PBF));
  });

  const first = (q: string) => index.forward(q, { limit: 5 })[0];

  it('finds a street by its name, on the street', () => {
    const r = first('Quai Antoine 1er');
    expect(r).toMatchObject({ kind: 'street', label: 'Quai Antoine 1er' });
    expect(haversineMeters(r!.lat, r!.lng, STARS_N_BARS.lat, STARS_N_BARS.lng)).toBeLessThan(400);
    expect(r!.score).toBeGreaterThan(0.9);
  });

  it('is insensitive to case, word order, abbreviations and ordinal spelling', () => {
    for (const q of ['QUAI ANTOINE 1ER', 'quai antoine ier', 'antoine quai', '1er, Antoine Quai']) {
      expect(first(q), q).toMatchObject({ kind: 'street', label: 'Quai Antoine 1er' });
    }
    const moulins = first('Boulevard des Moulins');
    expect(moulins).toMatchObject({ kind: 'street', label: 'Boulevard des Moulins' });
    expect(first('bd des moulins')).toEqual(moulins);
    expect(first('BLVD MOULINS')).toMatchObject({ label: 'Boulevard des Moulins' });
  });

  it('finds names with accents typed without them, and the other way round', () => {
    expect(first('avenue des spelugues')).toMatchObject({ kind: 'street', label: 'Avenue des Spélugues' });
    expect(first('rue des genets')).toMatchObject({ label: 'Rue des Genêts' });
    expect(first("place de l'opera")).toMatchObject({ label: "Place de l'Opéra" });
    expect(first('Rue Grîmaldi')).toMatchObject({ label: 'Rue Grimaldi' });
  });

  it('ranks a known address first when the query has its house number', () => {
    const results = index.forward('6 quai antoine 1er');
    expect(results[0]).toMatchObject({
      kind: 'address',
      label: 'Stars n Bars, 6 Quai Antoine 1er, 98000 Monaco',
      name: 'Stars n Bars',
      lat: STARS_N_BARS.lat,
      lng: STARS_N_BARS.lng,
      address: { housenumber: '6', street: 'Quai Antoine 1er', postcode: '98000', city: 'Monaco' },
    });
    // The street follows, and the other addresses on the quay (wrong number) do not match at all.
    expect(results[1]).toMatchObject({ kind: 'street', label: 'Quai Antoine 1er' });
    expect(results.filter((r) => r.kind === 'address')).toHaveLength(1);
  });

  it('finds an address by the name of the place there', () => {
    expect(first('stars n bars')).toMatchObject({ kind: 'address', address: { housenumber: '6' } });
  });

  it('answers the street, scored lower, for a house number it has no point for', () => {
    const results = index.forward('12 quai antoine 1er');
    expect(results[0]).toMatchObject({ kind: 'street', label: 'Quai Antoine 1er' });
    expect(results[0]!.score).toBeLessThan(first('quai antoine 1er')!.score);
  });

  it('completes the word being typed, below an exact match', () => {
    const typed = first('quai ant');
    expect(typed).toMatchObject({ kind: 'street', label: 'Quai Antoine 1er' });
    expect(first('bd des moul')).toMatchObject({ label: 'Boulevard des Moulins' });
    expect(typed!.score).toBeLessThan(first('quai antoine')!.score);
    // After a space the word is complete: "ant" matches nothing, only partial (quai) matches remain.
    expect(index.forward('quai ant ')[0]!.score).toBeLessThan(0.5);
  });

  it('finds places, using their category as an extra word', () => {
    expect(first('fnac')).toMatchObject({ kind: 'place', label: 'Fnac' });
    expect(first('hotel metropole')).toMatchObject({ kind: 'place', label: 'Metropole' });
  });

  it('uses `near` to order equal matches by distance', () => {
    const both = index.forward('avenue de verdun').filter((r) => r.kind === 'street');
    expect(both.length).toBeGreaterThanOrEqual(2);
    for (const target of both) {
      const r = index.forward('avenue de verdun', { near: { lat: target.lat, lng: target.lng } });
      expect(r[0]).toMatchObject({ lat: target.lat, lng: target.lng });
    }
  });

  it('falls back to the best partial matches, and answers nothing when nothing matches', () => {
    const partial = index.forward('rue xyzzy', { limit: 50 });
    expect(partial.length).toBeGreaterThan(10);
    for (const r of partial) expect(r.label).toMatch(/\brue\b/i);
    expect(Math.max(...partial.map((r) => r.score))).toBeLessThan(0.5);
    expect(index.forward('xyzzy')).toEqual([]);
  });

  it('honours limit and returns scores best first', () => {
    expect(index.forward('rue')).toHaveLength(10);
    const r = index.forward('rue', { limit: 50 });
    expect(r).toHaveLength(50);
    for (let i = 1; i < r.length; i++) expect(r[i]!.score).toBeLessThanOrEqual(r[i - 1]!.score);
    expect(index.forward('rue', { limit: 1 })).toHaveLength(1);
  });

  it('rejects bad input with BAD_REQUEST', () => {
    for (const q of ['', '   ', '...', 'a'.repeat(201)]) expect(code(() => index.forward(q)), JSON.stringify(q)).toBe('BAD_REQUEST');
    expect(code(() => index.forward(42 as unknown as string))).toBe('BAD_REQUEST');
    for (const limit of [0, 51, 1.5, Number.NaN]) expect(code(() => index.forward('rue', { limit }))).toBe('BAD_REQUEST');
    for (const near of [{ lat: Number.NaN, lng: 7 }, { lat: 91, lng: 7 }, { lat: 43, lng: -181 }, { lat: 43, lng: Infinity }]) {
      expect(code(() => index.forward('rue', { near }))).toBe('BAD_REQUEST');
    }
  });
});
