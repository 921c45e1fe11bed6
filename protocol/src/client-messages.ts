import { z } from 'zod';
import { FenceSpec } from './fence-spec.js';
import { NavCancel, NavStart, NavState } from './navigation.js';
import { USER_ID_PATTERN } from './user-id.js';

/**
 * Messages a client sends (protocol v1). Every message has a type `t`; a request may carry an `id`
 * (string or integer) that the reply echoes. Unknown fields are ignored so that newer clients can
 * talk to older gateways; unknown types are rejected with UNKNOWN_TYPE.
 */
const requestId = z.union([z.string().max(64), z.number().int().safe()]).optional();
const userId = z.string().regex(USER_ID_PATTERN, 'user id: 1-128 of A-Z a-z 0-9 _ . @ : -');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const locationFields = {
  lat: finite.refine((v) => v >= -90 && v <= 90, 'lat must be in [-90, 90]'),
  lng: finite.refine((v) => v >= -180 && v <= 180, 'lng must be in [-180, 180]'),
  /** Horizontal accuracy in metres (optional). */
  acc: finite.refine((v) => v >= 0 && v <= 100_000, 'acc must be in [0, 100000] metres').optional(),
  /** Time of the fix, ms since the Unix epoch (the device clock). */
  ts: finite.refine((v) => v > 0, 'ts must be ms since the epoch'),
  /** Client sequence number: the server acknowledges it so a client can drop what was accepted. */
  seq: z.number().int().nonnegative().safe().optional(),
};

export const LocationUpdate = z.object({ t: z.literal('loc'), id: requestId, ...locationFields });
export const Ping = z.object({ t: z.literal('ping'), id: requestId });
export const Refresh = z.object({ t: z.literal('refresh'), id: requestId, token: z.string().min(1).max(8192) });
export const FriendRequest = z.object({ t: z.literal('friend_request'), id: requestId, user: userId });
export const FriendAccept = z.object({ t: z.literal('friend_accept'), id: requestId, user: userId });
export const FriendDecline = z.object({ t: z.literal('friend_decline'), id: requestId, user: userId });
export const FriendRemove = z.object({ t: z.literal('friend_remove'), id: requestId, user: userId });
export const FriendsList = z.object({ t: z.literal('friends'), id: requestId });
export const NearbyFriends = z.object({ t: z.literal('nearby'), id: requestId });
export const Settings = z.object({
  t: z.literal('settings'),
  id: requestId,
  /** Nearby radius in metres; omitted = read only. */
  radius: finite.refine((v) => v >= 1 && v <= 1_000_000, 'radius must be in [1, 1000000] metres').optional(),
});
export const History = z.object({
  t: z.literal('history'),
  id: requestId,
  from: finite,
  to: finite,
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(64).optional(),
});

export const FenceAdd = z.object({ t: z.literal('fence_add'), id: requestId, fence: FenceSpec });
export const FenceRemove = z.object({ t: z.literal('fence_remove'), id: requestId, fence: z.string().min(1).max(64) });
export const FencesList = z.object({ t: z.literal('fences'), id: requestId });
/** Nearby strangers: opt in (publish to and hear from the geohash cells around you) or out. */
export const Strangers = z.object({
  t: z.literal('strangers'),
  id: requestId,
  enabled: z.boolean(),
  radius: finite.refine((v) => v >= 1 && v <= 1_000_000, 'radius must be in [1, 1000000] metres').optional(),
});

export const ClientMessage = z.discriminatedUnion('t', [
  LocationUpdate,
  Ping,
  Refresh,
  FriendRequest,
  FriendAccept,
  FriendDecline,
  FriendRemove,
  FriendsList,
  NearbyFriends,
  Settings,
  History,
  FenceAdd,
  FenceRemove,
  FencesList,
  Strangers,
  NavStart,
  NavCancel,
  NavState,
]);

export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['t'];
export type LocationUpdate = z.infer<typeof LocationUpdate>;
export type RequestId = string | number | undefined;

export const CLIENT_MESSAGE_TYPES: readonly ClientMessageType[] = ClientMessage.options.map(
  (o) => o.shape.t.value,
);
