import type { RoadGraph } from '@locus/routing';

/** Bytes held by the graph's typed arrays (the turn-restriction Set and the names are not counted). */
export function graphBytes(g: RoadGraph): number {
  let total = 0;
  for (const v of Object.values(g)) if (ArrayBuffer.isView(v)) total += v.byteLength;
  return total;
}

export const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
