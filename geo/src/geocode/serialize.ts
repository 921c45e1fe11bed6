import { Packr } from 'msgpackr';
import type { EntryRecord, GeocodeData } from './types.js';

/**
 * GeocodeData ⇄ bytes (msgpack), so a process can load a prebuilt index instead of reading the PBF.
 * Typed arrays travel as raw little-endian bytes (every platform Node runs on is little-endian; the
 * flag is checked anyway) and postings as one concatenated array with offsets, so loading is a few
 * copies, not a rebuild. Derived structures (prefix dictionary, grids) are rebuilt at load: they are
 * cheap and keeping them out lets their layout change without a format bump.
 */
export const GEOCODE_FORMAT = 'locus-geocode';
export const GEOCODE_FORMAT_VERSION = 1;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// Plain maps and arrays only: the format is read by this code, not by msgpackr's record extension.
const packr = new Packr({ useRecords: false, moreTypes: false });

interface Stored {
  format: string;
  version: number;
  littleEndian: boolean;
  kind: Uint8Array;
  lat: Uint8Array;
  lng: Uint8Array;
  mainSlots: Uint8Array;
  nameSlots: Uint8Array;
  tokenCount: Uint8Array;
  records: EntryRecord[];
  tokens: string[];
  /** Postings of tokens[i] are postingData[postingStart[i] .. postingStart[i+1]). */
  postingStart: Uint8Array;
  postingData: Uint8Array;
  lineCoords: Uint8Array;
  lineStart: Uint8Array;
  lineEntry: Uint8Array;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function encodeGeocodeData(d: GeocodeData): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('geocode index serialisation needs a little-endian platform');
  const tokens = [...d.postings.keys()].sort();
  const postingStart = new Uint32Array(tokens.length + 1);
  let total = 0;
  tokens.forEach((t, i) => {
    postingStart[i] = total;
    total += d.postings.get(t)!.length;
  });
  postingStart[tokens.length] = total;
  const postingData = new Uint32Array(total);
  tokens.forEach((t, i) => postingData.set(d.postings.get(t)!, postingStart[i]));
  const stored: Stored = {
    format: GEOCODE_FORMAT,
    version: GEOCODE_FORMAT_VERSION,
    littleEndian: true,
    kind: d.kind,
    lat: bytesOf(d.lat),
    lng: bytesOf(d.lng),
    mainSlots: d.mainSlots,
    nameSlots: d.nameSlots,
    tokenCount: d.tokenCount,
    records: d.records,
    tokens,
    postingStart: bytesOf(postingStart),
    postingData: bytesOf(postingData),
    lineCoords: bytesOf(d.lineCoords),
    lineStart: bytesOf(d.lineStart),
    lineEntry: bytesOf(d.lineEntry),
  };
  return packr.pack(stored);
}

/** Copies into fresh, aligned memory (a slice of the input may sit at any byte offset). */
function typed<T>(b: unknown, make: (buf: ArrayBuffer) => T, bytesPer: number, field: string): T {
  if (!(b instanceof Uint8Array) || b.byteLength % bytesPer !== 0) throw new Error(`geocode index: bad ${field}`);
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return make(copy.buffer);
}

export function decodeGeocodeData(bytes: Uint8Array): GeocodeData {
  if (!LITTLE_ENDIAN) throw new Error('geocode index serialisation needs a little-endian platform');
  const s = packr.unpack(bytes) as Partial<Stored> | null;
  if (!s || s.format !== GEOCODE_FORMAT) throw new Error('not a Locus geocode index');
  if (s.version !== GEOCODE_FORMAT_VERSION) throw new Error(`geocode index format ${String(s.version)}, this build reads ${GEOCODE_FORMAT_VERSION}`);
  if (s.littleEndian !== true) throw new Error('geocode index: big-endian data');
  const u8 = (b: unknown, f: string): Uint8Array => typed(b, (x) => new Uint8Array(x), 1, f);
  const u32 = (b: unknown, f: string): Uint32Array => typed(b, (x) => new Uint32Array(x), 4, f);
  const f64 = (b: unknown, f: string): Float64Array => typed(b, (x) => new Float64Array(x), 8, f);
  const kind = u8(s.kind, 'kind');
  const n = kind.length;
  const data: GeocodeData = {
    kind,
    lat: f64(s.lat, 'lat'),
    lng: f64(s.lng, 'lng'),
    mainSlots: u8(s.mainSlots, 'mainSlots'),
    nameSlots: u8(s.nameSlots, 'nameSlots'),
    tokenCount: u8(s.tokenCount, 'tokenCount'),
    records: Array.isArray(s.records) ? s.records : [],
    postings: new Map(),
    lineCoords: f64(s.lineCoords, 'lineCoords'),
    lineStart: u32(s.lineStart, 'lineStart'),
    lineEntry: u32(s.lineEntry, 'lineEntry'),
  };
  for (const a of [data.lat, data.lng, data.mainSlots, data.nameSlots, data.tokenCount, data.records]) {
    if (a.length !== n) throw new Error('geocode index: entry arrays differ in length');
  }
  if (data.lineStart.length !== data.lineEntry.length + 1) throw new Error('geocode index: bad line offsets');
  const tokens = Array.isArray(s.tokens) ? s.tokens : [];
  const start = u32(s.postingStart, 'postingStart');
  const all = u32(s.postingData, 'postingData');
  if (start.length !== tokens.length + 1 || start[tokens.length] !== all.length) throw new Error('geocode index: bad postings');
  // Views into one backing array: the Map costs one small object per token, not a copy.
  tokens.forEach((t, i) => data.postings.set(t, all.subarray(start[i]!, start[i + 1]!)));
  return data;
}
