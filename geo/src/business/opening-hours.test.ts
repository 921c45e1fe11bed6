import { describe, expect, it } from 'vitest';
import { isOpenAt, localTime, OpeningHours, parseOsmOpeningHours } from './opening-hours.js';

// 2026-11-23 is a Monday. Monaco is UTC+1 in November.
const at = (iso: string) => Date.parse(iso);

describe('opening hours', () => {
  const hours: OpeningHours = {
    tz: 'Europe/Monaco',
    week: { mon: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '18:00' }], fri: [{ open: '22:00', close: '02:00' }], sun: [{ open: '00:00', close: '24:00' }] },
  };

  it('reads local time in the business time zone', () => {
    expect(localTime('Europe/Monaco', at('2026-11-23T08:30:00Z'))).toEqual({ day: 0, minute: 9 * 60 + 30 });
    expect(localTime('Asia/Tokyo', at('2026-11-23T20:00:00Z'))).toEqual({ day: 1, minute: 5 * 60 });
  });

  it('is open inside intervals and closed between them', () => {
    expect(isOpenAt(hours, at('2026-11-23T08:30:00Z'))).toBe(true); // 09:30 local
    expect(isOpenAt(hours, at('2026-11-23T11:30:00Z'))).toBe(false); // 12:30 local
    expect(isOpenAt(hours, at('2026-11-23T11:00:00Z'))).toBe(false); // 12:00 local: closing time is exclusive
    expect(isOpenAt(hours, at('2026-11-24T09:00:00Z'))).toBe(false); // Tuesday: no hours
  });

  it('handles intervals past midnight and 24:00', () => {
    expect(isOpenAt(hours, at('2026-11-27T22:30:00Z'))).toBe(true); // Fri 23:30
    expect(isOpenAt(hours, at('2026-11-28T00:30:00Z'))).toBe(true); // Sat 01:30, from Friday's interval
    expect(isOpenAt(hours, at('2026-11-28T01:30:00Z'))).toBe(false); // Sat 02:30
    expect(isOpenAt(hours, at('2026-11-29T22:59:00Z'))).toBe(true); // Sun 23:59
  });

  it('follows daylight saving time', () => {
    const h: OpeningHours = { tz: 'Europe/Monaco', week: { mon: [{ open: '09:00', close: '10:00' }] } };
    expect(isOpenAt(h, at('2026-07-06T07:30:00Z'))).toBe(true); // summer: UTC+2
    expect(isOpenAt(h, at('2026-11-23T08:30:00Z'))).toBe(true); // winter: UTC+1
    expect(isOpenAt(h, at('2026-11-23T07:30:00Z'))).toBe(false);
  });

  it('validates', () => {
    expect(OpeningHours.safeParse({ tz: 'Mars/Olympus', week: {} }).success).toBe(false);
    expect(OpeningHours.safeParse({ tz: 'UTC', week: { mon: [{ open: '25:00', close: '10:00' }] } }).success).toBe(false);
    expect(OpeningHours.safeParse({ tz: 'UTC', week: { funday: [] } }).success).toBe(false);
  });

  it('parses the common OSM subset and refuses the rest', () => {
    expect(parseOsmOpeningHours('Mo-Fr 09:00-18:00; Sa 10:00-12:00,14:00-16:00; Su off', 'UTC')).toEqual({
      tz: 'UTC',
      week: {
        mon: [{ open: '09:00', close: '18:00' }],
        tue: [{ open: '09:00', close: '18:00' }],
        wed: [{ open: '09:00', close: '18:00' }],
        thu: [{ open: '09:00', close: '18:00' }],
        fri: [{ open: '09:00', close: '18:00' }],
        sat: [{ open: '10:00', close: '12:00' }, { open: '14:00', close: '16:00' }],
        sun: [],
      },
    });
    expect(parseOsmOpeningHours('24/7', 'UTC')?.week.wed).toEqual([{ open: '00:00', close: '24:00' }]);
    expect(parseOsmOpeningHours('Fr-Mo 20:00-02:00', 'UTC')?.week.sun).toEqual([{ open: '20:00', close: '02:00' }]);
    expect(parseOsmOpeningHours('Mo-Fr 09:00-18:00; PH off', 'UTC')).toBeNull();
    expect(parseOsmOpeningHours('sunrise-sunset', 'UTC')).toBeNull();
  });
});
