import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTraces } from './trace-file.js';
import { parseTraces } from './traces.js';

describe('GPS traces', () => {
  it('reads the shipped Berlin traces: real tracks around Berlin', () => {
    const tracks = loadTraces(1);
    expect(tracks.length).toBeGreaterThan(100);
    const points = tracks.reduce((n, t) => n + t.length, 0);
    expect(points).toBeGreaterThan(70_000);
    const box = [90, -90, 180, -180];
    for (const t of tracks) {
      for (let i = 0; i < t.length; i++) {
        const [lat, lng] = [t.points[2 * i]!, t.points[2 * i + 1]!];
        box[0] = Math.min(box[0]!, lat);
        box[1] = Math.max(box[1]!, lat);
        box[2] = Math.min(box[2]!, lng);
        box[3] = Math.max(box[3]!, lng);
      }
    }
    expect(box[0]).toBeGreaterThan(51.5);
    expect(box[1]).toBeLessThan(53.5);
    expect(box[2]).toBeGreaterThan(12);
    expect(box[3]).toBeLessThan(14.5);
  });

  it('groups rows by track in file order', () => {
    const [a, b] = parseTraces('TrackID,Latitude,Longitude,Time\n1,52.5,13.4,\n2,52.6,13.5,\n1,52.51,13.41,\n');
    expect(a).toMatchObject({ id: '1', length: 2 });
    expect(Array.from(a!.points)).toEqual([52.5, 13.4, 52.51, 13.41]);
    expect(b).toMatchObject({ id: '2', length: 1 });
  });

  it('refuses a wrong header or a malformed row with an error, never a bad point', () => {
    expect(() => parseTraces('a,b,c\n')).toThrow(/header/);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (row) => {
        try {
          const tracks = parseTraces(`TrackID,Latitude,Longitude,Time\n${row}\n`);
          for (const t of tracks) for (const v of t.points) expect(Number.isFinite(v)).toBe(true);
        } catch (err) {
          expect(String(err)).toMatch(/traces: bad row/);
        }
      }),
    );
  });
});
