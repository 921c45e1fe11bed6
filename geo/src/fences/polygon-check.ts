/**
 * Does a polygon ring (lat/lng vertices, implicitly closed) cross itself? Edges are geodesics, as in
 * the S2 loop the fence becomes, so the test runs on unit vectors (S2's "simple crossing" predicate),
 * correct across the antimeridian. O(n²) over ≤ 500 vertices, once per fence write.
 */
type V = [number, number, number];

function unit(lat: number, lng: number): V {
  const p = (lat * Math.PI) / 180;
  const l = (lng * Math.PI) / 180;
  return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
}

const cross = (a: V, b: V): V => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: V, b: V): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Edges AB and CD cross at a point interior to both. */
function crosses(a: V, b: V, c: V, d: V): boolean {
  const ab = cross(a, b);
  const acb = -dot(ab, c);
  const bda = dot(ab, d);
  if (acb * bda <= 0) return false;
  const cd = cross(c, d);
  const cbd = -dot(cd, b);
  const dac = dot(cd, a);
  return acb * cbd > 0 && acb * dac > 0;
}

export function selfIntersects(points: readonly (readonly [number, number])[]): boolean {
  const v = points.map(([lat, lng]) => unit(lat, lng));
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const a = v[i]!;
    const b = v[(i + 1) % n]!;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge shares vertex 0 with edge 0
      if (crosses(a, b, v[j]!, v[(j + 1) % n]!)) return true;
    }
  }
  return false;
}
