import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, normalize, tokenize } from './normalize.js';
import { ABBREVIATIONS, AMBIGUOUS, LETTER_FOLDS } from './vocabulary.js';

/** Latin text as street names are written: letters with and without accents, digits, punctuation. */
const LATIN = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789àâäéèêëïîôöùûüÿçñÀÂÉÈÊÎÔÛÇœŒæÆß'];
const latinText = fc.string({ unit: fc.constantFrom(...LATIN, ' ', ' ', '-', "'", '’', '.', ',', '(', ')') });
/** Words that are neither abbreviations nor ambiguous, so their position cannot change their reading. */
const plainWord = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéèàç'), minLength: 1, maxLength: 9 })
  .filter((w) => !ABBREVIATIONS.has(foldText(w)) && !AMBIGUOUS.has(foldText(w)));
const COMBINING = [0x300, 0x301, 0x302, 0x303, 0x308, 0x30a, 0x327, 0x328].map((c) => String.fromCharCode(c));

describe('normalize', () => {
  it('folds case, accents, ligatures and punctuation', () => {
    expect(foldText("Rond-Point Sainte-Dévote")).toBe('rond point sainte devote');
    expect(foldText("Boulevard d'Italie")).toBe('boulevard d italie');
    expect(foldText('Chemin des Œillets')).toBe('chemin des oeillets');
    expect(foldText('Große Straße')).toBe('grosse strasse');
    expect(foldText('Ærø  Łódź … ½')).toBe('aero lodz 1 2');
    expect(foldText('  \t ')).toBe('');
  });

  it('expands abbreviations, reading "st" and "dr" by position', () => {
    expect(tokenize('Bd des Moulins')).toEqual(['boulevard', 'des', 'moulins']);
    expect(tokenize('Av. Princesse Grace')).toEqual(['avenue', 'princesse', 'grace']);
    expect(tokenize('St-Martin')).toEqual(['saint', 'martin']);
    expect(tokenize('Rue St Charles')).toEqual(['rue', 'saint', 'charles']);
    expect(tokenize('Main St')).toEqual(['main', 'street']);
    expect(tokenize('St')).toEqual(['saint']);
    expect(tokenize('Rue du Dr Lyons')).toEqual(['rue', 'du', 'docteur', 'lyons']);
    expect(tokenize('Ocean Dr')).toEqual(['ocean', 'drive']);
    expect(tokenize('Boulevard Albert Ier')).toEqual(tokenize('Boulevard Albert 1er'));
  });

  it('makes one key of spellings of one name, in any word order', () => {
    const key = normalize('Boulevard des Moulins');
    for (const v of ['bd des moulins', 'BOULEVARD DES MOULINS', 'moulins, bd des', 'Blvd. des Moulins']) expect(normalize(v)).toBe(key);
    expect(normalize('Chemin des Oeillets')).toBe(normalize('chemin des œillets'));
    expect(normalize('Rue des Genêts')).toBe(normalize('rue des genets'));
  });

  it('no expansion is itself expandable (so expanding twice changes nothing)', () => {
    for (const v of ABBREVIATIONS.values()) expect(ABBREVIATIONS.has(v) || AMBIGUOUS.has(v)).toBe(false);
    for (const { title, type } of AMBIGUOUS.values()) for (const v of [title, type]) expect(ABBREVIATIONS.has(v) || AMBIGUOUS.has(v)).toBe(false);
    for (const v of Object.values(LETTER_FOLDS)) expect(foldText(v)).toBe(v);
  });

  it('is idempotent on any Unicode text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(foldText(foldText(s))).toBe(foldText(s));
        expect(normalize(normalize(s))).toBe(normalize(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores case (property)', () => {
    fc.assert(
      fc.property(latinText, (s) => {
        expect(normalize(s.toUpperCase())).toBe(normalize(s));
        expect(normalize(s.toLowerCase())).toBe(normalize(s));
      }),
    );
  });

  it('ignores accents, whether composed or not (property)', () => {
    const accented = fc.array(fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ', ' '), fc.option(fc.constantFrom(...COMBINING))), { maxLength: 30 });
    fc.assert(
      fc.property(accented, (pairs) => {
        const plain = pairs.map(([c]) => c).join('');
        const marked = pairs.map(([c, m]) => (c !== ' ' && m ? c + m : c)).join('');
        expect(normalize(marked)).toBe(normalize(plain));
        expect(normalize(marked.normalize('NFC'))).toBe(normalize(plain));
      }),
    );
  });

  it('ignores word order and the separators between words (property)', () => {
    const sep = fc.constantFrom(' ', '  ', ', ', '-', ' / ', "'");
    fc.assert(
      fc.property(fc.array(plainWord, { minLength: 1, maxLength: 6 }), fc.infiniteStream(sep), (ws, seps) => {
        const reversed = [...ws].reverse();
        const joined = reversed.map((w, i) => (i === 0 ? w : seps.next().value + w)).join('');
        expect(normalize(joined)).toBe(normalize(ws.join(' ')));
      }),
    );
  });
});
