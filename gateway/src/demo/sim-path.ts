import { haversineMeters } from '@locus/geo';

/**
 * A route geometry to drive along: positions by distance travelled. Cumulative lengths are kept in
 * one typed array so each tick is a short forward scan from where the last one stopped.
 */
export class SimPath {
  private readonly cum: Float64Array;
  private cursor = 0;

  constructor(private readonly coords: readonly (readonly [number, number])[]) {
    this.cum = new Float64Array(coords.length);
    for (let i = 1; i < coords.length; i++) {
      const [lng0, lat0] = coords[i - 1]!;
      const [lng1, lat1] = coords[i]!;
      this.cum[i] = this.cum[i - 1]! + haversineMeters(lat0, lng0, lat1, lng1);
    }
  }

  /** Metres from start to end. */
  get length(): number {
    return this.coords.length === 0 ? 0 : this.cum[this.cum.length - 1]!;
  }

  /** The point `travelled` metres along (clamped to the ends); `travelled` must not decrease between calls. */
  at(travelled: number): { lat: number; lng: number } {
    const n = this.coords.length;
    if (n === 0) throw new RangeError('empty path');
    if (travelled <= 0 || n === 1) return point(this.coords[0]!);
    if (travelled >= this.length) return point(this.coords[n - 1]!);
    while (this.cursor + 1 < n - 1 && this.cum[this.cursor + 1]! < travelled) this.cursor++;
    const i = this.cursor;
    const span = this.cum[i + 1]! - this.cum[i]!;
    const f = span > 0 ? (travelled - this.cum[i]!) / span : 0;
    const [lng0, lat0] = this.coords[i]!;
    const [lng1, lat1] = this.coords[i + 1]!;
    return { lat: lat0 + (lat1 - lat0) * f, lng: lng0 + (lng1 - lng0) * f };
  }
}

function point([lng, lat]: readonly [number, number]): { lat: number; lng: number } {
  return { lat, lng };
}
