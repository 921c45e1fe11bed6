/**
 * The words geocoding treats specially. Keys and values are already folded (lower case, no accents),
 * and no value is itself a key, so expanding twice changes nothing (normalize stays idempotent).
 */

/**
 * Unambiguous abbreviations, French first (the data is Monaco and its neighbours), then English.
 * Left out on purpose: "pr" (prince or professeur), "pres" (président, or the word "prés").
 */
export const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['av', 'avenue'],
  ['ave', 'avenue'],
  ['bd', 'boulevard'],
  ['bld', 'boulevard'],
  ['blvd', 'boulevard'],
  ['boul', 'boulevard'],
  ['bvd', 'boulevard'],
  ['pl', 'place'],
  ['ch', 'chemin'],
  ['chem', 'chemin'],
  ['rte', 'route'],
  ['imp', 'impasse'],
  ['sq', 'square'],
  ['prom', 'promenade'],
  ['esc', 'escalier'],
  ['ste', 'sainte'],
  ['gal', 'general'],
  ['gen', 'general'],
  ['mal', 'marechal'],
  ['pdt', 'president'],
  ['pse', 'princesse'],
  ['pss', 'princesse'],
  ['cdt', 'commandant'],
  ['mgr', 'monseigneur'],
  ['rd', 'road'],
  ['ln', 'lane'],
  // Ordinals as street names write them: "Albert 1er", "Albert Ier", "Albert Premier".
  ['ier', '1er'],
  ['premier', '1er'],
  ['iere', '1ere'],
  ['premiere', '1ere'],
]);

/**
 * Abbreviations with two readings. "St" is "Saint" in "St-Martin" or "Rue St Charles" but "Street"
 * in "Main St"; "Dr" is "Docteur" in "Rue du Dr Lyons" but "Drive" in "Ocean Dr". In a name we know
 * the position: a final word after other words is the street type, anywhere else it is the title.
 * A query is typed freely, so there both readings are accepted.
 */
export const AMBIGUOUS: ReadonlyMap<string, { title: string; type: string }> = new Map([
  ['st', { title: 'saint', type: 'street' }],
  ['dr', { title: 'docteur', type: 'drive' }],
]);

/**
 * Articles and prepositions. They stay in the index (a query may contain them) but a query word that
 * is one of them is optional: "Boulevard du Moulins" still finds "Boulevard des Moulins".
 */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'au', 'aux', 'd', 'de', 'del', 'della', 'des', 'di', 'du', 'en', 'et', 'l', 'la', 'le', 'les',
  'and', 'of', 'the',
]);

/**
 * Letters that Unicode decomposition does not reduce to ASCII (they are letters of their own, not
 * letters plus accents): folded by hand so "Straße" matches "strasse" and "Œillets" matches "oeillets".
 */
export const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  œ: 'oe',
  æ: 'ae',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
  ς: 'σ',
};
