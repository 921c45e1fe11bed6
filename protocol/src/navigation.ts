import { z } from 'zod';

/**
 * Navigation over the socket (protocol v1). A client starts a session with `nav_start`; the server
 * answers with `nav_route`, then pushes `nav_progress` while the user drives (rate-limited, not per
 * fix), `nav_eta` when traffic changes the remaining time, a new `nav_route` on a reroute, and
 * `nav_end` on arrival or cancel. The session lives in the engine: after a reconnect (to any
 * gateway, within the grace period) the server pushes the current route again with reason `resumed`.
 */
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const NavPoint = z.object({
  lat: finite.refine((v) => v >= -90 && v <= 90, 'lat must be in [-90, 90]'),
  lng: finite.refine((v) => v >= -180 && v <= 180, 'lng must be in [-180, 180]'),
});
const avoidValue = z.union([z.boolean(), finite.refine((v) => v > 0 && v <= 1, 'an avoid weight must be in (0, 1]')]).optional();
export const NavOptions = z
  .object({
    avoid: z.object({ tolls: avoidValue, highways: avoidValue, ferries: avoidValue }).strict().optional(),
  })
  .strict();

const requestId = z.union([z.string().max(64), z.number().int().safe()]).optional();

export const NavStart = z.object({
  t: z.literal('nav_start'),
  id: requestId,
  to: NavPoint,
  /** Start here; omitted = the user's last accepted location. */
  from: NavPoint.optional(),
  via: z.array(NavPoint).max(10).optional(),
  options: NavOptions.optional(),
});
export const NavCancel = z.object({ t: z.literal('nav_cancel'), id: requestId });
/** Ask for the current session's route again (the server also pushes it on reconnect). */
export const NavState = z.object({ t: z.literal('nav_state'), id: requestId });

export type NavStart = z.infer<typeof NavStart>;
export type NavOptions = z.infer<typeof NavOptions>;

export type NavRouteReason = 'start' | 'resumed' | 'state' | 'off_route' | 'closure' | 'faster' | 'proactive';
export type NavEndReason = 'arrived' | 'cancelled' | 'replaced' | 'no_route';

export interface NavManeuver {
  type: 'depart' | 'turn' | 'continue' | 'roundabout' | 'arrive';
  modifier?: string;
  street: string;
  instruction: string;
  /** Metres and seconds of the step that starts here. */
  distance: number;
  duration: number;
  lat: number;
  lng: number;
  exit?: number;
}

export interface NavRouteBody {
  /** Metres and seconds of the whole route at the time it was computed. */
  distance: number;
  duration: number;
  /** Encoded polyline (precision 5) of the route geometry. */
  polyline: string;
  maneuvers: NavManeuver[];
  summary: string;
}

export interface NavRemaining {
  /** Metres and seconds left to the destination. */
  distance: number;
  duration: number;
  /** Expected arrival, ms since the epoch (server clock). */
  eta: number;
}

export interface NavNext {
  instruction: string;
  type: NavManeuver['type'];
  modifier?: string;
  street: string;
  /** Metres from the current position to the maneuver. */
  distance: number;
}

/**
 * A new route given as a change to the one the client holds (revision `base`): what a closure
 * reroute sends to clients that connected with `patch=1` (the client SDK does, and turns it back
 * into a whole `nav_route`; see applyRoutePatch). A detour usually keeps most of the route, and a
 * closure on a busy road reroutes thousands of cars at once: the gateway then builds and sends the
 * changed part only. Points are the base route's decoded polyline vertices, by index.
 */
export interface NavPatch extends NavRemaining {
  t: 'nav_patch';
  session: string;
  reason: NavRouteReason;
  /** Revision of the route this patch applies to, and of the route it makes. */
  base: number;
  rev: number;
  /** The new route's first point, [lat, lng] (where the car is). */
  start: [number, number];
  /** Then the base route's points keep[0] … keep[1], inclusive (none when keep[1] < keep[0]), */
  keep: [number, number];
  /** then these points (encoded polyline, precision 5), */
  detour: string;
  /** then the base route's points from this index to its end. */
  resume: number;
  /** The new route's maneuvers in order: a number is the base route's maneuver of that index, unchanged. */
  maneuvers: (number | NavManeuver)[];
  /** The new route's totals and summary (as in NavRouteBody). */
  route: { distance: number; duration: number; summary: string };
  graphVersion: string;
}

export type NavigationMessage =
  | ({ t: 'nav_route'; id?: string | number; session: string; reason: NavRouteReason; route: NavRouteBody; graphVersion: string; /** Route revision within the session (a nav_patch names the one it changes). */ rev: number } & NavRemaining)
  | NavPatch
  | ({ t: 'nav_progress'; session: string; next?: NavNext; offRoute: boolean } & NavRemaining)
  | ({ t: 'nav_eta'; session: string; reason: 'traffic' | 'closure' } & NavRemaining)
  | { t: 'nav_end'; session: string; reason: NavEndReason };
