import { ABBREVIATIONS, AMBIGUOUS, LETTER_FOLDS, STOPWORDS } from './vocabulary.js';

const MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/**
 * Case, accents and punctuation folded away; word order kept. "Rond-Point Sainte-Dévote" →
 * "rond point sainte devote", "d'Italie" → "d italie".
 *
 * Decomposition runs on both sides of lower-casing: compatibility decomposition can produce capitals
 * ("ℌ" → "H") and lower-casing can produce combining marks ("İ" → "i" + dot above); doing both keeps
 * the function idempotent (property-tested).
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(SPECIAL_LETTERS, (c) => LETTER_FOLDS[c] ?? c)
    .replace(NOT_WORD, ' ')
    .trim();
}

/** The folded words of a text, without expansion (what the user typed). */
export function words(text: string): string[] {
  const folded = foldText(text);
  return folded === '' ? [] : folded.split(' ');
}

/**
 * The tokens a name is indexed under: folded words with abbreviations expanded. An ambiguous
 * abbreviation takes its street-type reading only as the last of several words ("Main St").
 */
export function tokenize(text: string): string[] {
  const ws = words(text);
  const last = ws.length - 1;
  return ws.map((w, i) => {
    const amb = AMBIGUOUS.get(w);
    if (amb) return i === last && last > 0 ? amb.type : amb.title;
    return ABBREVIATIONS.get(w) ?? w;
  });
}

/**
 * A canonical key for a text, insensitive to case, accents, punctuation, abbreviations and word order:
 * the tokens as a sorted bag. Used to merge spellings of one street name ("Chemin des Œillets" and
 * "Chemin des Oeillets") and by tests.
 */
export function normalize(text: string): string {
  return tokenize(text).sort().join(' ');
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}
