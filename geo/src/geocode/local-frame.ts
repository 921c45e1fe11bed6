import { EARTH_RADIUS_M } from '../distance.js';

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/**
 * Point-to-segment distance on a local equirectangular projection centred on the query point:
 * x = Δlng·cos(lat0), y = Δlat, in metres. Reverse geocoding only cares about segments within a few
 * hundred metres, where this flat approximation differs from the great circle by well under a metre
 * (the error grows with tan(lat)·Δlat, about 1e-4 relative 1 km away at 45°), and it makes the
 * projection onto a segment a plain 2-D dot product. One frame is reused for every lookup.
 */
export class LocalFrame {
  private lat0 = 0;
  private lng0 = 0;
  private kx = M_PER_DEG;
  /** Nearest point of the last measured segment. */
  nearLat = 0;
  nearLng = 0;

  reset(lat: number, lng: number): this {
    this.lat0 = lat;
    this.lng0 = lng;
    this.kx = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
    return this;
  }

  /** East offset in metres, taking the short way round the antimeridian. */
  private x(lng: number): number {
    let d = lng - this.lng0;
    if (d > 180) d -= 360;
    else if (d < -180) d += 360;
    return d * this.kx;
  }

  /** Metres from the frame's centre to segment a–b; sets nearLat/nearLng. */
  distanceToSegment(aLat: number, aLng: number, bLat: number, bLng: number): number {
    const ax = this.x(aLng);
    const ay = (aLat - this.lat0) * M_PER_DEG;
    const dx = this.x(bLng) - ax;
    const dy = (bLat - aLat) * M_PER_DEG;
    const len2 = dx * dx + dy * dy;
    // Projection of the origin onto the segment, clamped to its ends (a zero-length segment is its start).
    let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = ax + t * dx;
    const py = ay + t * dy;
    this.nearLat = aLat + t * (bLat - aLat);
    this.nearLng = aLng + t * (bLng - aLng);
    return Math.sqrt(px * px + py * py);
  }
}
