import type { NavigationMessage, NavManeuver, NavPatch } from './navigation.js';
import { decodePolyline, encodePolyline } from './polyline.js';

type NavRouteMessage = Extract<NavigationMessage, { t: 'nav_route' }>;

/**
 * The whole route a `nav_patch` describes, from the route it was made against: null when `base` is
 * not that route (another revision or session) or the patch does not fit it — the client then asks
 * for the route again (`nav_state`).
 */
export function applyRoutePatch(base: NavRouteMessage, patch: NavPatch): NavRouteMessage | null {
  if (base.session !== patch.session || base.rev !== patch.base) return null;
  const old = decodePolyline(base.route.polyline);
  const count = old.length / 2;
  const [from, to] = patch.keep;
  if (!isIndex(from, count + 1) || !isIndex(to + 1, count + 1) || !isIndex(patch.resume, count + 1)) return null;
  const flat: number[] = [patch.start[0], patch.start[1]];
  for (let i = from; i <= to; i++) flat.push(old[2 * i]!, old[2 * i + 1]!);
  for (const v of decodePolyline(patch.detour)) flat.push(v);
  for (let i = patch.resume; i < count; i++) flat.push(old[2 * i]!, old[2 * i + 1]!);
  const maneuvers: NavManeuver[] = [];
  for (const m of patch.maneuvers) {
    if (typeof m !== 'number') maneuvers.push(m);
    else {
      const kept = base.route.maneuvers[m];
      if (!kept) return null;
      maneuvers.push(kept);
    }
  }
  return {
    t: 'nav_route',
    session: patch.session,
    reason: patch.reason,
    rev: patch.rev,
    route: { distance: patch.route.distance, duration: patch.route.duration, polyline: encodePolyline(flat), maneuvers, summary: patch.route.summary },
    graphVersion: patch.graphVersion,
    distance: patch.distance,
    duration: patch.duration,
    eta: patch.eta,
  };
}

const isIndex = (i: number, limit: number): boolean => Number.isInteger(i) && i >= 0 && i < limit;
