/**
 * Node ids for a W×H grid along a Hilbert curve: grid neighbours get nearby ids, so the edges of a
 * neighbourhood (sorted by source node) sit in nearby memory. A search's random accesses then hit
 * cache lines it already loaded: searches are bound by memory latency, and row-major numbering puts
 * the north and south neighbours W nodes (≈ 3.6·W edges) away.
 *
 * Returns id[y * W + x].
 */
export function hilbertOrder(width: number, height: number): Uint32Array {
  const ids = new Uint32Array(width * height);
  let side = 1;
  while (side < width || side < height) side *= 2;
  let next = 0;
  const total = side * side;
  for (let d = 0; d < total && next < width * height; d++) {
    const [x, y] = hilbertPoint(side, d);
    if (x < width && y < height) ids[y * width + x] = next++;
  }
  return ids;
}

/** Point at distance d along the Hilbert curve filling a side×side square (side a power of two). */
function hilbertPoint(side: number, d: number): [number, number] {
  let x = 0;
  let y = 0;
  let t = d;
  for (let s = 1; s < side; s *= 2) {
    const rx = 1 & (t >> 1);
    const ry = 1 & (t ^ rx);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const tmp = x;
      x = y;
      y = tmp;
    }
    x += s * rx;
    y += s * ry;
    t = Math.floor(t / 4);
  }
  return [x, y];
}
