/** Public shapes of geocoding answers, and the serialisable core of the index. */

export type GeocodeKind = 'address' | 'street' | 'place';

export interface GeocodeAddress {
  housenumber: string;
  street: string;
  postcode?: string;
  city?: string;
}

export interface GeocodeResult {
  /** Display text: "Stars n Bars, 6 Quai Antoine 1er, 98000 Monaco", "Quai Antoine 1er", "Fnac". */
  label: string;
  lat: number;
  lng: number;
  kind: GeocodeKind;
  /** 0..1, higher is better; comparable within one answer, not across queries. */
  score: number;
  /** Name of the place at an address, or of a place. */
  name?: string;
  address?: GeocodeAddress;
}

export interface ReverseGeocodeResult {
  label: string;
  /** The address point, or the nearest point on the street. */
  lat: number;
  lng: number;
  kind: 'address' | 'street';
  /** Metres from the queried point. */
  distance: number;
  name?: string;
  address?: GeocodeAddress;
}

export interface GeocodeForwardOptions {
  /** 1..50, default 10. */
  limit?: number;
  /** Prefer results near this point (a tie-breaker between similar text matches, not a filter). */
  near?: { lat: number; lng: number };
}

/** What an entry id maps to: everything needed to answer, nothing needed to match. */
export interface EntryRecord {
  label: string;
  name?: string;
  address?: GeocodeAddress;
  /** "n123" / "w456": provenance, for debugging and deduplication. */
  osmId?: string;
}

export const KIND_CODES: readonly GeocodeKind[] = ['address', 'street', 'place'];
export const KIND_ADDRESS = 0;
export const KIND_STREET = 1;
export const KIND_PLACE = 2;

/** Posting = entryId * 4 + field bits: which field of the entry holds the token. */
export const FIELD_MAIN = 1; // housenumber + street of an address, name of a street or a place
export const FIELD_NAME = 2; // name of the place at an address
// Neither bit: postcode, city, category: they match but say nothing about how well the entry is covered.

/**
 * The index as stored: entries as parallel arrays (entry id = position), postings per token, and
 * street geometry. Everything else (prefix dictionary, grids, scratch) is derived when loaded.
 */
export interface GeocodeData {
  kind: Uint8Array;
  lat: Float64Array;
  lng: Float64Array;
  /** Distinct significant (non-stopword) words of the main field; a house number counts once. */
  mainSlots: Uint8Array;
  /** Distinct significant words of the name field (addresses with a name), else 0. */
  nameSlots: Uint8Array;
  /** Distinct tokens over all fields: how much of an entry a query leaves unexplained. */
  tokenCount: Uint8Array;
  records: EntryRecord[];
  /** token → ascending postings (entryId * 4 + field bits). */
  postings: Map<string, Uint32Array>;
  /** Street polylines: lat,lng pairs of all lines end to end. */
  lineCoords: Float64Array;
  /** Line i spans pairs lineStart[i] .. lineStart[i+1]-1 (length lines + 1). */
  lineStart: Uint32Array;
  /** Street entry of each line. */
  lineEntry: Uint32Array;
}
