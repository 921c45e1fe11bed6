import { LocusError } from '@locus/protocol';
import { words } from './normalize.js';
import { ABBREVIATIONS, AMBIGUOUS, STOPWORDS } from './vocabulary.js';

/** One word of a query, as the matcher sees it. */
export interface QueryTerm {
  /** Index tokens that satisfy the word exactly: the word, or its expansions ("st" → saint, street). */
  readonly forms: readonly string[];
  /** Set on the last word while the user is typing: any index token starting with it also matches. */
  readonly prefix: string | null;
  /** An article or preposition: adds to the score when it matches, never required. */
  readonly optional: boolean;
  /** Looks like a house number: a street lacking that address point still matches (scored lower). */
  readonly housenumber: boolean;
}

export const MAX_QUERY_CHARS = 200;
/** Per-entry counters are bytes, and no place name has this many words. */
export const MAX_QUERY_TERMS = 32;
/**
 * A one-letter prefix would expand to a large share of the dictionary on a big extract, for little
 * value; one letter is matched exactly only.
 */
export const MIN_PREFIX_CHARS = 2;

const HOUSENUMBER = /^\d{1,5}(?:[a-z]|bis|ter|quater)?$/;

/**
 * Words of a query, deduplicated (order does not matter: entries are bags of tokens). The last word
 * is a prefix unless the query ends with a separator: "quai ant" is still being typed, "quai " is not.
 */
export function parseQuery(q: string): QueryTerm[] {
  if (q.trim() === '') throw new LocusError('BAD_REQUEST', 'q: must not be empty', { field: 'q' });
  if (q.length > MAX_QUERY_CHARS) throw new LocusError('BAD_REQUEST', `q: at most ${MAX_QUERY_CHARS} characters`, { field: 'q' });
  const ws = words(q);
  if (ws.length === 0) throw new LocusError('BAD_REQUEST', 'q: no letters or digits to search for', { field: 'q' });
  const typing = /[\p{L}\p{N}]$/u.test(q);
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  ws.forEach((w, i) => {
    const amb = AMBIGUOUS.get(w);
    const forms = amb ? [amb.title, amb.type] : [ABBREVIATIONS.get(w) ?? w];
    const prefix = typing && i === ws.length - 1 && w.length >= MIN_PREFIX_CHARS ? w : null;
    const key = `${forms.join('|')}/${prefix ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    terms.push({ forms, prefix, optional: STOPWORDS.has(w), housenumber: HOUSENUMBER.test(w) });
  });
  if (terms.length > MAX_QUERY_TERMS) throw new LocusError('BAD_REQUEST', `q: at most ${MAX_QUERY_TERMS} distinct words`, { field: 'q' });
  // A query made only of articles ("la") still has to match something.
  if (terms.every((t) => t.optional)) return terms.map((t) => ({ ...t, optional: false }));
  return terms;
}
