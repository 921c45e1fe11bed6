/** The simulated friends' user ids: names read better in the demo's friend list than numbers. */
const NAMES = ['ana', 'bruno', 'chloe', 'dario', 'elena', 'felix', 'giulia', 'hugo', 'iris', 'jonas', 'karim', 'lea'];

export function demoCarIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `car-${NAMES[i] ?? String(i + 1)}`);
}
