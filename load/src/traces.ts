/**
 * The Berlin GPS traces (data/berlin_gps_traces.csv.gz, OSRM test data, BSD-2-Clause): 132 real
 * tracks, replayed as realistic movement by the load scenarios and the benchmark harness. The file
 * carries no times, so callers space the points by an interval of their choosing. No file access
 * here: the artillery processor loads this module as CommonJS, where import.meta is empty (see
 * trace-file.ts).
 */
export interface Track {
  id: string;
  /** Interleaved lat, lng pairs: a point is [2i, 2i + 1]. */
  points: Float64Array;
  length: number;
}

/** Parse the CSV text (header TrackID,Latitude,Longitude,Time); malformed rows are an error, not skipped. */
export function parseTraces(csv: string): Track[] {
  const lines = csv.split('\n');
  if (!/^TrackID,Latitude,Longitude/.test(lines[0] ?? '')) throw new Error('traces: unexpected header');
  const byId = new Map<string, number[]>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const [id, lat, lng] = line.split(',');
    const la = lat === undefined || lat === '' ? Number.NaN : Number(lat);
    const lo = lng === undefined || lng === '' ? Number.NaN : Number(lng);
    if (!id || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      throw new Error(`traces: bad row ${i + 1}: ${line}`);
    }
    let pts = byId.get(id);
    if (!pts) byId.set(id, (pts = []));
    pts.push(la, lo);
  }
  return [...byId].map(([id, pts]) => ({ id, points: Float64Array.from(pts), length: pts.length / 2 }));
}
