/** Per-algorithm measurements of one query set, and the table the route benchmark prints. */
export interface Samples {
  ms: number[];
  settled: number[];
}

export function newSamples(): Samples {
  return { ms: [], settled: [] };
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export const fmt = (n: number, d = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—';

/** Milliseconds with sensible precision (µs for sub-millisecond). */
export const ms = (n: number): string => (!Number.isFinite(n) ? '—' : n < 1 ? `${fmt(n * 1000)} µs` : n < 10 ? `${fmt(n, 2)} ms` : `${fmt(n, 1)} ms`);

/** A Markdown table: the header row, then rows of cells, columns right-aligned except the first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
