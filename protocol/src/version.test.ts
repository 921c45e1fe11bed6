import { describe, expect, it } from 'vitest';
import { negotiate } from './version.js';

describe('negotiate', () => {
  it('defaults to the latest version in msgpack', () => {
    expect(negotiate('', '', '')).toEqual({ version: 1, format: 'msgpack', subprotocol: '' });
  });
  it('picks the first supported subprotocol and its format', () => {
    expect(negotiate('locus.v9, locus.v1.json', '', '')).toEqual({ version: 1, format: 'json', subprotocol: 'locus.v1.json' });
  });
  it('rejects when only unsupported versions are offered', () => {
    expect(negotiate('locus.v2', '', '')).toBeNull();
    expect(negotiate('', '7', '')).toBeNull();
  });
  it('accepts one spelling per version', () => {
    expect(negotiate('locus.v01', '', '')).toBeNull();
    expect(negotiate('locus.v1.0', '', '')).toBeNull();
    expect(negotiate('', '1.0', '')).toBeNull();
  });
  it('reads ?v= and ?format= for clients without subprotocols', () => {
    expect(negotiate('', '1,5', 'json')).toEqual({ version: 1, format: 'json', subprotocol: '' });
  });
});
