import { haversineMeters } from '@locus/geo';
import type { TestClient } from './test-client.js';

/** Points every `stepM` metres along a GeoJSON line ([lng, lat] vertices), as a simulated car drives it. */
export function pointsAlong(coords: readonly (readonly [number, number])[], stepM: number): { lat: number; lng: number }[] {
  const out: { lat: number; lng: number }[] = [];
  if (coords.length === 0) return out;
  out.push({ lat: coords[0]![1], lng: coords[0]![0] });
  let carry = 0;
  for (let i = 1; i < coords.length; i++) {
    const [lng0, lat0] = coords[i - 1]!;
    const [lng1, lat1] = coords[i]!;
    const len = haversineMeters(lat0, lng0, lat1, lng1);
    let at = stepM - carry;
    while (at <= len) {
      const f = at / len;
      out.push({ lat: lat0 + (lat1 - lat0) * f, lng: lng0 + (lng1 - lng0) * f });
      at += stepM;
    }
    carry = len - (at - stepM);
  }
  const last = coords[coords.length - 1]!;
  out.push({ lat: last[1], lng: last[0] });
  return out;
}

/** Decode an encoded polyline (precision 5) into [lng, lat] vertices. */
export function decodePolyline(s: string): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let lat = 0;
  let lng = 0;
  const next = (): number => {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = s.charCodeAt(i++) - 63;
      result |= (b & 0x1f) << shift;
      shift += 5;
    } while (b >= 0x20);
    return result & 1 ? ~(result >> 1) : result >> 1;
  };
  while (i < s.length) {
    lat += next();
    lng += next();
    out.push([lng / 1e5, lat / 1e5]);
  }
  return out;
}

let fixId = 0;

/** Send one fix and wait until the gateway has accepted it (its `ok`), so the next step sees its effects. */
export async function drive(client: TestClient, p: { lat: number; lng: number }, acc = 5): Promise<void> {
  const id = `fix-${++fixId}`;
  client.send({ t: 'loc', id, lat: p.lat, lng: p.lng, acc, ts: Date.now() });
  await client.next('ok', (m) => m.id === id);
}
