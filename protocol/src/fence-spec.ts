import { z } from 'zod';
import { USER_ID_PATTERN } from './user-id.js';

/**
 * A geofence as clients describe it, on the socket and over REST. Static fences (circle, polygon)
 * fire when the owner crosses them (an operator's fence: when anyone does); a roaming fence fires
 * when the named friend comes within / goes beyond `radius` of the owner.
 */
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const lat = finite.refine((v) => v >= -90 && v <= 90, 'lat must be in [-90, 90]');
const lng = finite.refine((v) => v >= -180 && v <= 180, 'lng must be in [-180, 180]');
const radius = finite.refine((v) => v >= 1 && v <= 100_000, 'radius must be in [1, 100000] metres');
const name = z.string().trim().min(1).max(100).optional();
/** Seconds inside before a `dwell` event; omitted = the server default. */
const dwellSec = z.number().int().min(1).max(86_400).optional();

export const CircleFence = z.object({ kind: z.literal('circle'), lat, lng, radius, name, dwellSec }).strict();
export const PolygonFence = z
  .object({
    kind: z.literal('polygon'),
    /** [lat, lng] vertices of a simple polygon, at least 3, not closed (the last joins the first). */
    points: z.array(z.tuple([lat, lng])).min(3).max(500),
    name,
    dwellSec,
  })
  .strict();
export const FriendFence = z
  .object({ kind: z.literal('friend'), friend: z.string().regex(USER_ID_PATTERN, 'friend: a user id'), radius, name })
  .strict();

export const FenceSpec = z.discriminatedUnion('kind', [CircleFence, PolygonFence, FriendFence]);
export type FenceSpec = z.infer<typeof FenceSpec>;

/** A stored fence: the spec plus identity, owner and scope. */
export type Fence = FenceSpec & {
  id: string;
  owner: string;
  /** `self`: the owner's own movements; `all`: everyone's (operator fences). */
  scope: 'self' | 'all';
  createdAt: number;
};

export type FenceEventKind = 'enter' | 'exit' | 'dwell';
