import { z } from 'zod';

/**
 * Opening hours per weekday in the business's own time zone. An interval whose close is not after its
 * open runs past midnight (22:00–02:00); "24:00" closes at the end of the day.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const Time = z.string().regex(HHMM, 'time must be HH:MM (00:00–24:00)');
const Interval = z.object({ open: Time, close: Time }).strict();

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const OpeningHours = z
  .object({
    tz: z.string().max(64).refine(isTimeZone, 'tz must be an IANA time zone such as Europe/Monaco'),
    week: z
      .object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Interval).max(8).optional()])) as Record<Weekday, z.ZodOptional<z.ZodArray<typeof Interval>>>)
      .strict(),
  })
  .strict();
export type OpeningHours = z.infer<typeof OpeningHours>;

/** Minutes since midnight; 24:00 = 1440. */
function minutes(t: string): number {
  return t === '24:00' ? 1440 : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** Weekday (0 = Monday) and minute of the day at `epochMs` in `tz`. */
export function localTime(tz: string, epochMs: number): { day: number; minute: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(epochMs)) {
    if (p.type === 'weekday') day = WEEKDAY_INDEX[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

/** Open at `epochMs`? Covers intervals past midnight from the day before. */
export function isOpenAt(hours: OpeningHours, epochMs: number): boolean {
  const { day, minute } = localTime(hours.tz, epochMs);
  for (const iv of hours.week[WEEKDAYS[day]!] ?? []) {
    const o = minutes(iv.open);
    const c = minutes(iv.close);
    if (c > o ? minute >= o && minute < c : minute >= o) return true;
  }
  for (const iv of hours.week[WEEKDAYS[(day + 6) % 7]!] ?? []) {
    const o = minutes(iv.open);
    const c = minutes(iv.close);
    if (c <= o && minute < c) return true;
  }
  return false;
}

const OSM_DAYS: Record<string, number> = { Mo: 0, Tu: 1, We: 2, Th: 3, Fr: 4, Sa: 5, Su: 6 };

/**
 * The common subset of OSM `opening_hours`: "24/7", and rules like "Mo-Fr 09:00-18:00; Sa 10:00-12:00,
 * 14:00-18:00; Su off". Anything else (public holidays, months, sunset…) → null: the business then has
 * no hours and never matches open_now, rather than matching on a guess.
 */
export function parseOsmOpeningHours(text: string, tz: string): OpeningHours | null {
  const s = text.trim();
  const week: OpeningHours['week'] = {};
  if (s === '24/7') {
    for (const d of WEEKDAYS) week[d] = [{ open: '00:00', close: '24:00' }];
    return { tz, week };
  }
  for (const rule of s.split(';').map((r) => r.trim()).filter(Boolean)) {
    const m = /^([A-Z][a-z](?:-[A-Z][a-z])?(?:,[A-Z][a-z](?:-[A-Z][a-z])?)*)\s+(off|closed|\d\d:\d\d-\d\d:\d\d(?:,\s*\d\d:\d\d-\d\d:\d\d)*)$/.exec(rule);
    if (!m) return null;
    const days: number[] = [];
    for (const part of m[1]!.split(',')) {
      const [a, b] = part.split('-');
      const from = OSM_DAYS[a!];
      const to = b === undefined ? from : OSM_DAYS[b];
      if (from === undefined || to === undefined) return null;
      for (let d = from; ; d = (d + 1) % 7) {
        days.push(d);
        if (d === to) break;
      }
    }
    const spans = m[2] === 'off' || m[2] === 'closed' ? [] : m[2]!.split(',').map((x) => x.trim().split('-'));
    for (const [open, close] of spans) if (!HHMM.test(open!) || !HHMM.test(close!)) return null;
    for (const d of days) week[WEEKDAYS[d]!] = spans.map(([open, close]) => ({ open: open!, close: close! }));
  }
  return { tz, week };
}
