import { haversineMeters } from '../distance.js';
import { GridBuilder, type Grid } from './grid.js';
import { LocalFrame } from './local-frame.js';
import { KIND_ADDRESS, type GeocodeData } from './types.js';

/** An address point counts as "here" within this distance… */
export const ADDRESS_RADIUS_M = 100;
/** …else the nearest street within this distance. */
export const STREET_RADIUS_M = 200;

export interface ReverseHit {
  id: number;
  /** The address point, or the nearest point on the street. */
  lat: number;
  lng: number;
  distance: number;
}

/**
 * Reverse lookups: two bucket grids built from the index data at load (address points; street
 * segments by bounding box), so a lookup measures only what lies in the few cells around the point.
 * Scratch state lives on the instance and the visit callbacks are bound once: no allocation per
 * lookup except the answer.
 */
export class ReverseSearch {
  private readonly addresses: Grid;
  private readonly segments: Grid;
  /** Segment s joins coordinate pairs segStart[s] and segStart[s] + 1 of lineCoords. */
  private readonly segStart: Uint32Array;
  private readonly segEntry: Uint32Array;
  private readonly frame = new LocalFrame();
  private qLat = 0;
  private qLng = 0;
  private bestId = -1;
  private bestD = Infinity;
  private bestLat = 0;
  private bestLng = 0;
  private readonly visitAddress = (id: number): void => {
    const d = haversineMeters(this.qLat, this.qLng, this.data.lat[id]!, this.data.lng[id]!);
    if (d < this.bestD || (d === this.bestD && id < this.bestId)) {
      this.bestD = d;
      this.bestId = id;
      this.bestLat = this.data.lat[id]!;
      this.bestLng = this.data.lng[id]!;
    }
  };
  private readonly visitSegment = (s: number): void => {
    const c = this.data.lineCoords;
    const i = this.segStart[s]! * 2;
    const d = this.frame.distanceToSegment(c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!);
    const id = this.segEntry[s]!;
    if (d < this.bestD || (d === this.bestD && id < this.bestId)) {
      this.bestD = d;
      this.bestId = id;
      this.bestLat = this.frame.nearLat;
      this.bestLng = this.frame.nearLng;
    }
  };

  constructor(private readonly data: GeocodeData) {
    const addresses = new GridBuilder();
    for (let id = 0; id < data.kind.length; id++) {
      if (data.kind[id] !== KIND_ADDRESS) continue;
      addresses.add(id, data.lat[id]!, data.lng[id]!, data.lat[id]!, data.lng[id]!);
    }
    this.addresses = addresses.build();

    const lines = data.lineEntry.length;
    let count = 0;
    for (let l = 0; l < lines; l++) count += Math.max(0, data.lineStart[l + 1]! - data.lineStart[l]! - 1);
    this.segStart = new Uint32Array(count);
    this.segEntry = new Uint32Array(count);
    const segments = new GridBuilder();
    const c = data.lineCoords;
    let s = 0;
    for (let l = 0; l < lines; l++) {
      for (let p = data.lineStart[l]!; p + 1 < data.lineStart[l + 1]!; p++) {
        this.segStart[s] = p;
        this.segEntry[s] = data.lineEntry[l]!;
        const aLat = c[p * 2]!;
        const aLng = c[p * 2 + 1]!;
        const bLat = c[p * 2 + 2]!;
        const bLng = c[p * 2 + 3]!;
        segments.add(s, Math.min(aLat, bLat), Math.min(aLng, bLng), Math.max(aLat, bLat), Math.max(aLng, bLng));
        s++;
      }
    }
    this.segments = segments.build();
  }

  get segmentCount(): number {
    return this.segStart.length;
  }

  /** Nearest address within ADDRESS_RADIUS_M, else nearest street within STREET_RADIUS_M, else null. */
  lookup(lat: number, lng: number): ReverseHit | null {
    this.qLat = lat;
    this.qLng = lng;
    this.bestId = -1;
    this.bestD = Infinity;
    this.addresses.near(lat, lng, ADDRESS_RADIUS_M, this.visitAddress);
    if (this.bestId >= 0 && this.bestD <= ADDRESS_RADIUS_M) return this.hit();
    this.bestId = -1;
    this.bestD = Infinity;
    this.frame.reset(lat, lng);
    this.segments.near(lat, lng, STREET_RADIUS_M, this.visitSegment);
    if (this.bestId >= 0 && this.bestD <= STREET_RADIUS_M) return this.hit();
    return null;
  }

  private hit(): ReverseHit {
    return { id: this.bestId, lat: this.bestLat, lng: this.bestLng, distance: this.bestD };
  }
}
