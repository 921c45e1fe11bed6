import { LocusError } from '@locus/protocol';
import type { AvoidOptions, RoutePoint } from '@locus/routing';
import type { HttpCall, Route } from './http-types.js';
import { routingOf } from './traffic-routes.js';

function point(raw: string, name: string): RoutePoint {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
  const lat = m ? Number(m[1]) : Number.NaN;
  const lng = m ? Number(m[2]) : Number.NaN;
  if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180)) {
    throw new LocusError('BAD_REQUEST', `${name}: lat,lng in degrees (e.g. 43.7384,7.4246)`, { field: name });
  }
  return { lat, lng };
}

/** `avoid=tolls,highways` (hard) or `avoid=tolls:0.5` (a soft preference in (0, 1)). */
function avoidOf(raw: string | null): AvoidOptions {
  const avoid: AvoidOptions = {};
  if (raw === null || raw.trim() === '') return avoid;
  for (const part of raw.split(',')) {
    const [name, weight] = part.trim().split(':');
    if (name !== 'tolls' && name !== 'highways' && name !== 'ferries') {
      throw new LocusError('BAD_REQUEST', 'avoid: a list of tolls, highways, ferries (each optionally :weight in (0,1])', { field: 'avoid' });
    }
    let value: boolean | number = true;
    if (weight !== undefined) {
      const w = Number(weight);
      if (!(w > 0 && w <= 1)) throw new LocusError('BAD_REQUEST', 'avoid: a weight must be in (0, 1]', { field: 'avoid' });
      value = w === 1 ? true : w;
    }
    avoid[name] = value;
  }
  return avoid;
}

function parse(call: HttpCall): { points: RoutePoint[]; avoid: AvoidOptions; alternatives: number } {
  const from = call.query.get('from');
  const to = call.query.get('to');
  if (!from) throw new LocusError('BAD_REQUEST', 'from is required', { field: 'from' });
  if (!to) throw new LocusError('BAD_REQUEST', 'to is required', { field: 'to' });
  const vias = call.query.getAll('via').flatMap((v) => v.split(';')).filter((v) => v.trim() !== '');
  if (vias.length > 10) throw new LocusError('BAD_REQUEST', 'at most 10 via points', { field: 'via' });
  const alt = call.query.get('alternatives');
  const alternatives = alt === null || alt === '' ? 0 : Number(alt);
  if (!Number.isInteger(alternatives) || alternatives < 0 || alternatives > 2) {
    throw new LocusError('BAD_REQUEST', 'alternatives: 0, 1 or 2', { field: 'alternatives' });
  }
  if (alternatives > 0 && vias.length > 0) throw new LocusError('BAD_REQUEST', 'alternatives are not computed for routes with via points', { field: 'alternatives' });
  return {
    points: [point(from, 'from'), ...vias.map((v, i) => point(v, `via.${i}`)), point(to, 'to')],
    avoid: avoidOf(call.query.get('avoid')),
    alternatives,
  };
}

/** GET /v1/route — public, like the search. */
export const routeRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/route',
    auth: false,
    handler(call) {
      const routing = routingOf(call);
      const req = parse(call);
      return { status: 200, body: routing.service.route(req) };
    },
  },
];
