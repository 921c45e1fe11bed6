import type { OsmAddress, OsmPoi } from '../osm/osm-extract.js';
import { foldText, isStopword, tokenize } from './normalize.js';
import type { Street } from './streets.js';
import { FIELD_MAIN, FIELD_NAME, KIND_ADDRESS, KIND_PLACE, KIND_STREET, type EntryRecord, type GeocodeAddress } from './types.js';

/** An entry before it gets an id: what it answers with and the tokens it is found by. */
export interface EntryDraft {
  kind: number;
  lat: number;
  lng: number;
  record: EntryRecord;
  /** token → field bits (0 for postcode, city, category). */
  tokens: Map<string, number>;
  mainSlots: number;
  nameSlots: number;
}

function addTokens(into: Map<string, number>, tokens: readonly string[], field: number): void {
  for (const t of tokens) into.set(t, (into.get(t) ?? 0) | field);
}

function significant(tokens: readonly string[]): number {
  let n = 0;
  for (const t of new Set(tokens)) if (!isStopword(t)) n++;
  return n;
}

/**
 * A house number is found by its folded words ("4-6" → 4, 6; "4bis" → 4bis) and by its leading
 * number ("4bis", "5b" → 4, 5), so "4 rue de la colle" finds "4bis Rue de la Colle".
 */
export function housenumberTokens(housenumber: string): string[] {
  const folded = foldText(housenumber);
  const out = folded === '' ? [] : folded.split(' ');
  const lead = /^\d+/.exec(folded)?.[0];
  if (lead !== undefined && !out.includes(lead)) out.push(lead);
  return out;
}

/** OSM tag values ("fast_food", "ice_cream") as words, so "hotel metropole" can use the category. */
function categoryTokens(category: string | undefined): string[] {
  return category ? tokenize(category.replace(/_/g, ' ')) : [];
}

export function addressLabel(a: GeocodeAddress, name: string | undefined): string {
  const place = [a.postcode, a.city].filter((s) => s !== undefined && s !== '').join(' ');
  return `${name ? `${name}, ` : ''}${a.housenumber} ${a.street}${place ? `, ${place}` : ''}`;
}

export function addressEntry(a: OsmAddress, poi: OsmPoi | undefined): EntryDraft {
  const address: GeocodeAddress = { housenumber: a.housenumber, street: a.street };
  if (a.postcode) address.postcode = a.postcode;
  if (a.city) address.city = a.city;
  const record: EntryRecord = { label: addressLabel(address, a.name), address, osmId: a.osmId };
  if (a.name) record.name = a.name;
  const street = tokenize(a.street);
  const name = a.name ? tokenize(a.name) : [];
  const tokens = new Map<string, number>();
  addTokens(tokens, [...(a.postcode ? tokenize(a.postcode) : []), ...(a.city ? tokenize(a.city) : []), ...categoryTokens(poi?.category)], 0);
  addTokens(tokens, housenumberTokens(a.housenumber), FIELD_MAIN);
  addTokens(tokens, street, FIELD_MAIN);
  addTokens(tokens, name, FIELD_NAME);
  // The house number is one slot however many tokens it gives.
  return { kind: KIND_ADDRESS, lat: a.lat, lng: a.lng, record, tokens, mainSlots: 1 + significant(street), nameSlots: significant(name) };
}

export function streetEntry(s: Street): EntryDraft {
  const words = tokenize(s.label);
  const tokens = new Map<string, number>();
  addTokens(tokens, words, FIELD_MAIN);
  return { kind: KIND_STREET, lat: s.lat, lng: s.lng, record: { label: s.label }, tokens, mainSlots: significant(words), nameSlots: 0 };
}

export function placeEntry(p: OsmPoi): EntryDraft {
  const words = tokenize(p.name);
  const tokens = new Map<string, number>();
  addTokens(tokens, categoryTokens(p.category), 0);
  addTokens(tokens, words, FIELD_MAIN);
  return {
    kind: KIND_PLACE,
    lat: p.lat,
    lng: p.lng,
    record: { label: p.name, name: p.name, osmId: p.osmId },
    tokens,
    mainSlots: significant(words),
    nameSlots: 0,
  };
}
