import type { Fence } from '@locus/protocol';
import { LocusError } from '@locus/protocol';
import { s2 } from 's2js';
import { EARTH_RADIUS_M, haversineMeters } from '../distance.js';
import { selfIntersects } from './polygon-check.js';

/**
 * A static fence ready for point tests: a circle (great-circle distance ≤ radius, the same measure as
 * every other Locus radius) or a polygon as an S2 loop (edges are geodesics; containment is exact on
 * the sphere, also across the antimeridian and around a pole).
 */
export interface FenceShape {
  readonly fence: Fence;
  contains(lat: number, lng: number): boolean;
  /** The region, for S2 coverings. */
  readonly region: s2.Region;
}

export function fenceShape(fence: Fence): FenceShape {
  if (fence.kind === 'circle') {
    const { lat, lng, radius } = fence;
    const center = s2.Point.fromLatLng(s2.LatLng.fromDegrees(lat, lng));
    // Covering a hair wider than the circle: rounding in the cap must never shave a point off.
    const cap = s2.Cap.fromCenterAngle(center, (radius / EARTH_RADIUS_M) * (1 + 1e-9) + 1e-12);
    return { fence, region: cap, contains: (a, o) => haversineMeters(lat, lng, a, o) <= radius };
  }
  if (fence.kind === 'polygon') {
    if (selfIntersects(fence.points)) throw new LocusError('BAD_REQUEST', 'polygon: edges cross each other', { field: 'fence.points' });
    const loop = new s2.Loop(fence.points.map(([a, o]) => s2.Point.fromLatLng(s2.LatLng.fromDegrees(a, o))));
    const err = loop.validate();
    if (err) throw new LocusError('BAD_REQUEST', `polygon: ${err.message}`, { field: 'fence.points' });
    // Vertices may come clockwise or counter-clockwise: the fence is the smaller side.
    loop.normalize();
    return { fence, region: loop, contains: (a, o) => loop.containsPoint(s2.Point.fromLatLng(s2.LatLng.fromDegrees(a, o))) };
  }
  throw new Error('roaming fences have no static shape');
}
