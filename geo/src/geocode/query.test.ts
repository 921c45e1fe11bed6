import { LocusError } from '@locus/protocol';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, parseQuery } from './query.js';

function badRequest(fn: () => unknown): LocusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LocusError);
    expect((err as LocusError).code).toBe('BAD_REQUEST');
    return err as LocusError;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('parseQuery', () => {
  it('treats the last word as a prefix while typing, not after a separator', () => {
    expect(parseQuery('quai ant').map((t) => t.prefix)).toEqual([null, 'ant']);
    expect(parseQuery('quai ant ').map((t) => t.prefix)).toEqual([null, null]);
    expect(parseQuery('quai ant,').map((t) => t.prefix)).toEqual([null, null]);
    // One letter is too little to expand.
    expect(parseQuery('quai a').every((t) => t.prefix === null)).toBe(true);
  });

  it('expands abbreviations; an ambiguous one accepts both readings', () => {
    expect(parseQuery('bd moulins ')[0]!.forms).toEqual(['boulevard']);
    expect(parseQuery('st martin')[0]!.forms).toEqual(['saint', 'street']);
  });

  it('marks articles optional, unless the query has nothing else', () => {
    expect(parseQuery('boulevard des moulins').map((t) => t.optional)).toEqual([false, true, false]);
    expect(parseQuery('la').map((t) => t.optional)).toEqual([false]);
  });

  it('recognises house numbers but not ordinals', () => {
    expect(parseQuery('12 quai antoine 1er').map((t) => t.housenumber)).toEqual([true, false, false, false]);
    expect(parseQuery('4bis rue').map((t) => t.housenumber)).toEqual([true, false]);
    expect(parseQuery('5b rue')[0]!.housenumber).toBe(true);
  });

  it('drops repeated words (entries are bags of words)', () => {
    expect(parseQuery('rue rue de la rue colle ')).toHaveLength(4);
  });

  it('rejects empty, blank, punctuation-only and over-long queries with BAD_REQUEST on field q', () => {
    for (const q of ['', '   ', '\t\n', '!!! ...', 'x'.repeat(MAX_QUERY_CHARS + 1)]) {
      expect(badRequest(() => parseQuery(q)).details).toEqual({ field: 'q' });
    }
    expect(parseQuery('x'.repeat(MAX_QUERY_CHARS))).toHaveLength(1);
  });

  it('rejects more distinct words than the matcher counts', () => {
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    badRequest(() => parseQuery(many));
  });
});
