import type { OsmRoad } from '../osm/osm-extract.js';
import { LocalFrame } from './local-frame.js';
import { normalize } from './normalize.js';

/** One named street: the ways that carry a name and lie together. */
export interface Street {
  label: string;
  /** A point on the street near its middle (what forward geocoding answers). */
  lat: number;
  lng: number;
  /** The ways' polylines (lat,lng pairs), kept for reverse lookups. */
  lines: Float64Array[];
}

/**
 * Ways of one name closer than this belong to the same street. OSM splits a street into many ways
 * (at every junction or tag change) that touch; the same name elsewhere ("Avenue de Verdun" in
 * Monaco and in Èze, "Rue Principale" in every village) is kilometres away and stays separate.
 */
export const SAME_STREET_GAP_M = 300;

const M_PER_DEG = 111_195;

interface Piece {
  road: OsmRoad;
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/**
 * Named roads → streets. Names are grouped by their normalized form (spellings that differ only in
 * case, accents or abbreviations are one street), then split into spatial clusters.
 */
export function streetsOf(roads: readonly OsmRoad[]): Street[] {
  const byName = new Map<string, Piece[]>();
  for (const road of roads) {
    if (!road.name || road.coords.length < 4) continue;
    const key = normalize(road.name);
    if (key === '') continue;
    const piece = pieceOf(road);
    const list = byName.get(key);
    if (list) list.push(piece);
    else byName.set(key, [piece]);
  }
  const out: Street[] = [];
  // Sorted keys: the same extract always gives the same entry ids.
  for (const key of [...byName.keys()].sort()) {
    for (const cluster of clusters(byName.get(key)!)) out.push(streetOf(cluster));
  }
  return out;
}

function pieceOf(road: OsmRoad): Piece {
  const c = road.coords;
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLng = Infinity;
  let maxLng = -Infinity;
  for (let i = 0; i < c.length; i += 2) {
    const lat = c[i]!;
    const lng = c[i + 1]!;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
    if (lng < minLng) minLng = lng;
    if (lng > maxLng) maxLng = lng;
  }
  return { road, minLat, maxLat, minLng, maxLng };
}

/**
 * Single-linkage clusters of pieces whose bounding boxes come within SAME_STREET_GAP_M, by sweep
 * and prune on latitude (sorted by south edge, a piece only meets those starting before its north
 * edge plus the gap), with union-find. Linear-ish even for a name with thousands of ways.
 */
function clusters(pieces: Piece[]): Piece[][] {
  if (pieces.length === 1) return [pieces];
  const order = pieces.map((_, i) => i).sort((a, b) => pieces[a]!.minLat - pieces[b]!.minLat);
  const parent = pieces.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const gapLat = SAME_STREET_GAP_M / M_PER_DEG;
  for (let oi = 0; oi < order.length; oi++) {
    const a = pieces[order[oi]!]!;
    const gapLng = SAME_STREET_GAP_M / (M_PER_DEG * Math.max(0.01, Math.cos((a.maxLat * Math.PI) / 180)));
    for (let oj = oi + 1; oj < order.length; oj++) {
      const b = pieces[order[oj]!]!;
      if (b.minLat > a.maxLat + gapLat) break;
      if (b.minLng > a.maxLng + gapLng || a.minLng > b.maxLng + gapLng) continue;
      parent[find(order[oi]!)] = find(order[oj]!);
    }
  }
  const groups = new Map<number, Piece[]>();
  // In input order, so each cluster's pieces keep the extract's order.
  pieces.forEach((p, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(p);
    else groups.set(root, [p]);
  });
  return [...groups.values()];
}

function streetOf(pieces: Piece[]): Street {
  const lines = pieces.map((p) => p.road.coords);
  const [lat, lng] = middlePoint(lines);
  return { label: commonestName(pieces), lat, lng, lines };
}

/** The spelling most of the ways use; ties go to the alphabetically first, for stable output. */
function commonestName(pieces: readonly Piece[]): string {
  const counts = new Map<string, number>();
  for (const p of pieces) counts.set(p.road.name!, (counts.get(p.road.name!) ?? 0) + 1);
  let best = '';
  let bestN = 0;
  for (const [name, n] of counts) {
    if (n > bestN || (n === bestN && name < best)) {
      best = name;
      bestN = n;
    }
  }
  return best;
}

/**
 * The point on the street nearest to its length-weighted centroid. The centroid alone can fall off a
 * curved street (or between two branches); snapping it back keeps the answer on the street.
 */
function middlePoint(lines: readonly Float64Array[]): [number, number] {
  let sumLat = 0;
  let sumLng = 0;
  let sumW = 0;
  for (const c of lines) {
    for (let i = 0; i + 3 < c.length; i += 2) {
      const dLat = c[i + 2]! - c[i]!;
      const dLng = (c[i + 3]! - c[i + 1]!) * Math.cos((c[i]! * Math.PI) / 180);
      // Tiny weight for zero-length segments, so a street of one degenerate way still has a centroid.
      const w = Math.sqrt(dLat * dLat + dLng * dLng) + 1e-12;
      sumLat += w * (c[i]! + c[i + 2]!) / 2;
      sumLng += w * (c[i + 1]! + c[i + 3]!) / 2;
      sumW += w;
    }
  }
  const frame = new LocalFrame().reset(sumLat / sumW, sumLng / sumW);
  let best = Infinity;
  let lat = 0;
  let lng = 0;
  for (const c of lines) {
    for (let i = 0; i + 3 < c.length; i += 2) {
      const d = frame.distanceToSegment(c[i]!, c[i + 1]!, c[i + 2]!, c[i + 3]!);
      if (d < best) {
        best = d;
        lat = frame.nearLat;
        lng = frame.nearLng;
      }
    }
  }
  return [lat, lng];
}
