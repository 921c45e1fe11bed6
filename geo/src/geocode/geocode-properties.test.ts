import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOsmExtract } from '../osm/osm-extract.js';
import { buildGeocodeData } from './build.js';
import { GeocodeIndex } from './geocode-index.js';
import type { GeocodeData } from './types.js';

const MONACO_PBF = fileURLToPath(new URL('../../../data/monaco.osm.pbf', import.meta.url));

/** Ways a user might type an entry's label. null = the variant does not apply to this label. */
const VARIANTS: Record<string, (label: string) => string | null> = {
  exact: (s) => s,
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  withoutAccents: (s) => s.normalize('NFD').replace(/\p{M}/gu, ''),
  // "St"/"Dr" change reading with their position; a reversed label would legitimately mean something else.
  reversedWords: (s) => (/\b(st|dr)\b/i.test(s) ? null : s.split(/\s+/).reverse().join(' ')),
  // Half of the last word still being typed.
  typing: (s) => {
    const m = /[\p{L}\p{N}]{4,}$/u.exec(s);
    return m ? s.slice(0, s.length - Math.floor(m[0].length / 2)) : null;
  },
};

describe('forward finds what the index holds (property, Monaco extract)', () => {
  let data: GeocodeData;
  let index: GeocodeIndex;
  beforeAll(async () => {
    const extract = await readOsmExtract(MONACO_PBF);
    data = buildGeocodeData(extract);
    index = GeocodeIndex.fromExtract(extract);
  });

  it('forward(label of any entry), as typed in various ways, has that entry in the top 5', () => {
    fc.assert(
      fc.property(fc.nat({ max: data.kind.length - 1 }), fc.constantFrom(...Object.keys(VARIANTS)), (id, variant) => {
        const label = data.records[id]!.label;
        const q = VARIANTS[variant]!(label);
        fc.pre(q !== null);
        const top = index.forward(q!, { limit: 5 });
        const found = top.some((r) => r.label === label && r.lat === data.lat[id] && r.lng === data.lng[id]);
        expect(found, `${variant}: ${JSON.stringify(q)} → ${top.map((r) => r.label).join(' | ')}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('every answer is well formed', () => {
    fc.assert(
      fc.property(fc.nat({ max: data.kind.length - 1 }), (id) => {
        for (const r of index.forward(data.records[id]!.label, { limit: 5 })) {
          expect(['address', 'street', 'place']).toContain(r.kind);
          expect(r.score).toBeGreaterThan(0);
          expect(r.score).toBeLessThanOrEqual(1);
          expect(Number.isFinite(r.lat) && Number.isFinite(r.lng)).toBe(true);
          expect(r.kind === 'address').toBe(r.address !== undefined);
        }
      }),
      { numRuns: 100 },
    );
  });
});
