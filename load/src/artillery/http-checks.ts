/**
 * What a correct answer of the HTTP APIs looks like, for the artillery scenarios: each check returns
 * the first problem found, or undefined.
 */

/** Points on Monaco's road network (each within a few metres of a road), for searches and routes. */
export const MONACO_POINTS: readonly { lat: number; lng: number }[] = [
  { lat: 43.7384, lng: 7.4246 }, // Boulevard des Moulins
  { lat: 43.7411, lng: 7.4296 },
  { lat: 43.7347, lng: 7.4206 }, // port
  { lat: 43.7394, lng: 7.4283 }, // casino
  { lat: 43.7285, lng: 7.415 }, // Fontvieille
  { lat: 43.745, lng: 7.4345 }, // Larvotto
  { lat: 43.7311, lng: 7.42 }, // Monaco-Ville
  { lat: 43.743, lng: 7.426 },
  { lat: 43.7313, lng: 7.4131 },
  { lat: 43.736, lng: 7.415 },
  { lat: 43.7329, lng: 7.4258 },
  { lat: 43.74, lng: 7.42 },
];

const asObject = (body: unknown): Record<string, unknown> | undefined => {
  try {
    const v: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** 200, JSON, at most `limit` results, every one within `radius`, nearest first. */
export function checkNearby(status: number, body: unknown, radius: number, limit: number): string | undefined {
  if (status !== 200) return `status ${status}`;
  const json = asObject(body);
  if (!json || !Array.isArray(json.results)) return 'no results array';
  const results = json.results as { distance?: unknown; id?: unknown }[];
  if (results.length > limit) return `${results.length} results for limit ${limit}`;
  let last = 0;
  for (const r of results) {
    if (typeof r.distance !== 'number' || typeof r.id !== 'string') return 'result without id or distance';
    if (r.distance > radius) return `result at ${r.distance} m outside ${radius} m`;
    if (r.distance < last) return 'results not sorted by distance';
    last = r.distance;
  }
  return undefined;
}

/** 200, JSON, at least one route with a positive distance and duration and a line of ≥ 2 points. */
export function checkRoute(status: number, body: unknown): string | undefined {
  if (status !== 200) return `status ${status}`;
  const json = asObject(body);
  const routes = json?.routes;
  if (!Array.isArray(routes) || routes.length === 0) return 'no routes';
  const r = routes[0] as { distance?: unknown; duration?: unknown; geometry?: { coordinates?: unknown } };
  if (typeof r.distance !== 'number' || !(r.distance > 0)) return `distance ${String(r.distance)}`;
  if (typeof r.duration !== 'number' || !(r.duration > 0)) return `duration ${String(r.duration)}`;
  if (!Array.isArray(r.geometry?.coordinates) || r.geometry.coordinates.length < 2) return 'no geometry';
  return undefined;
}
