/**
 * A duration=* value (how long a ferry crossing takes) in hours, or undefined when unreadable.
 * OSM uses "mm", "hh:mm", "hh:mm:ss" and ISO 8601 ("PT1H30M").
 */
export function parseDurationHours(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  const clock = /^(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(s);
  if (clock) {
    const [, a, b, c] = clock;
    // A bare number is minutes; with colons the first field is hours.
    const hours = b === undefined ? Number(a) / 60 : Number(a) + Number(b) / 60 + Number(c ?? 0) / 3600;
    return positive(hours);
  }
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, d, h, m, sec] = iso;
    return positive(Number(d ?? 0) * 24 + Number(h ?? 0) + Number(m ?? 0) / 60 + Number(sec ?? 0) / 3600);
  }
  return undefined;
}

function positive(h: number): number | undefined {
  return Number.isFinite(h) && h > 0 ? h : undefined;
}
