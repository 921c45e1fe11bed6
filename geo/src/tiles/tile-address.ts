/**
 * The tile-address service: which Web Mercator ("slippy map", z/x/y) tile holds a point, and the
 * bounds of a tile. The same scheme as OSM, Google and MapLibre, so URLs work with any map client.
 */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export interface TileBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Web Mercator is square only up to this latitude; beyond it y would run to infinity. */
export const MAX_MERCATOR_LAT = 85.05112878;
/** Deepest zoom an address is computed for (~10 m tiles); web map clients stop at 22-24. */
export const MAX_ADDRESS_ZOOM = 22;

/** Position of a longitude across the world, 0 (180°W) .. 1 (180°E). */
export function lngFraction(lng: number): number {
  return (lng + 180) / 360;
}

/** Position of a latitude down the Mercator square, 0 (north edge) .. 1 (south edge); clamped. */
export function latFraction(lat: number): number {
  const clamped = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const r = (clamped * Math.PI) / 180;
  return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
}

/** True when z/x/y names a tile: integers, 0 ≤ z ≤ MAX_ADDRESS_ZOOM, 0 ≤ x,y < 2^z. */
export function isTileAddress(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ADDRESS_ZOOM) return false;
  const n = 2 ** z;
  return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < n && y < n;
}

/**
 * The tile holding (lat, lng) at `zoom`. Latitude is clamped to the Mercator limit (a pole is in
 * the top or bottom row); lng 180 is the east edge of the last column, not the first one again.
 * Throws RangeError for non-finite or out-of-range input.
 */
export function tileAddress(lat: number, lng: number, zoom: number): TileAddress {
  if (!Number.isInteger(zoom) || zoom < 0 || zoom > MAX_ADDRESS_ZOOM) throw new RangeError(`zoom must be an integer 0..${MAX_ADDRESS_ZOOM}`);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new RangeError('lat must be -90..90');
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new RangeError('lng must be -180..180');
  const n = 2 ** zoom;
  // Fraction first, then scale: multiplying by a power of two is exact, so the tile at z+1 is always
  // a child of the tile at z (no floating-point disagreement at tile edges).
  const last = n - 1;
  return {
    z: zoom,
    x: Math.min(last, Math.max(0, Math.floor(lngFraction(lng) * n))),
    y: Math.min(last, Math.max(0, Math.floor(latFraction(lat) * n))),
  };
}

/** Longitude/latitude bounds of a tile (no validation: callers pass addresses they checked). */
export function tileBounds(z: number, x: number, y: number): TileBounds {
  const n = 2 ** z;
  const lat = (row: number): number => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return { west: (x / n) * 360 - 180, east: ((x + 1) / n) * 360 - 180, north: lat(y), south: lat(y + 1) };
}
