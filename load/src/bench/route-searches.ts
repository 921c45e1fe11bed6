import { aStar, bidirectionalAStar, dijkstra, hierarchical, type Landmarks } from '@locus/routing';
import type { Run, Search } from './route-run.js';
import { fmt, mean, ms, percentile } from './route-stats.js';

/** The searches bench:route compares, by name, on one graph. */
export interface SearchSet {
  all: [string, Search][];
  isHierarchical: (s: Search) => boolean;
}

/** Dijkstra, A*, bidirectional A*, both again with landmarks when given, hierarchical at each radius (metres). */
export function searchSet(radii: readonly number[], landmarks: Landmarks | null): SearchSet {
  const hierarchicals: [string, Search][] = radii.map((r) => [`hierarchical (${fmt(r / 1000, 1)} km)`, (g, c, f, t) => hierarchical(g, c, f, t, { localRadiusMeters: r })]);
  const withLandmarks: [string, Search][] =
    landmarks === null
      ? []
      : [
          ['A* + landmarks', (g, c, f, t) => aStar(g, c, f, t, { landmarks })],
          ['bidirectional A* + landmarks', (g, c, f, t) => bidirectionalAStar(g, c, f, t, { landmarks })],
        ];
  return {
    all: [['Dijkstra', dijkstra], ['A*', aStar], ['bidirectional A*', bidirectionalAStar], ...withLandmarks, ...hierarchicals],
    isHierarchical: (s) => hierarchicals.some(([, h]) => h === s),
  };
}

/** p50, p99, mean settled of a run, as table cells. */
export function cells(r: Run | null): string[] {
  return r === null ? ['—', '—', '—'] : [ms(percentile(r.samples.ms, 0.5)), ms(percentile(r.samples.ms, 0.99)), r.samples.settled.some((s) => s > 0) ? fmt(mean(r.samples.settled)) : '—'];
}
