import type { ErrorCode } from './error-codes.js';
import type { Fence, FenceEventKind } from './fence-spec.js';
import type { NavigationMessage } from './navigation.js';
import type { ProtocolVersion } from './version.js';

/** Messages the server sends (protocol v1). Replies echo the request's `id`. */

export interface FriendLocation {
  user: string;
  lat: number;
  lng: number;
  acc?: number;
  /** Device time of the fix, ms since the epoch. */
  ts: number;
  /** Distance from the receiving user, metres. */
  d: number;
}

export interface Welcome {
  t: 'welcome';
  v: ProtocolVersion;
  user: string;
  /** Gateway instance id (useful in bug reports and for sticky reconnects). */
  server: string;
  /** Token expiry, ms since the epoch. */
  exp: number;
  /** Nearby radius in force, metres. */
  radius: number;
  limits: { maxFrameBytes: number; ratePerSec: number; burst: number; maxFriends: number; idleTimeoutSec: number };
}

export type ServerMessage =
  | Welcome
  | { t: 'ok'; id?: string | number; of: string; seq?: number; exp?: number; status?: string; fence?: string; radius?: number }
  | { t: 'error'; id?: string | number; code: ErrorCode; message: string; details?: Record<string, unknown> }
  | { t: 'pong'; id?: string | number; ts: number }
  | ({ t: 'friend_loc' } & FriendLocation)
  | { t: 'friend_gone'; user: string; reason: 'expired' | 'out_of_range' | 'unfriended' }
  | { t: 'nearby'; id?: string | number; friends: FriendLocation[] }
  | { t: 'friend_event'; kind: 'requested' | 'accepted' | 'declined' | 'removed'; user: string }
  | { t: 'friends'; id?: string | number; friends: string[]; incoming: string[]; outgoing: string[] }
  | { t: 'settings'; id?: string | number; radius: number }
  | {
      t: 'history';
      id?: string | number;
      items: { lat: number; lng: number; acc?: number; ts: number; at: number }[];
      next?: string;
    }
  | { t: 'fences'; id?: string | number; fences: Fence[] }
  /** A fence of the receiving user fired: `user` crossed it (the owner, anyone for operator fences, or the friend). */
  | { t: 'fence_event'; fence: string; kind: FenceEventKind; user: string; at: number; name?: string }
  /** An opted-in stranger within your strangers radius (only while you are opted in). */
  | { t: 'stranger_loc'; user: string; lat: number; lng: number; ts: number; d: number }
  | { t: 'stranger_gone'; user: string; reason: 'out_of_range' | 'expired' | 'left' }
  | { t: 'token_expiring'; exp: number }
  | { t: 'reconnect'; reason: 'draining'; retryAfterMs: number }
  | NavigationMessage;

export type ServerMessageType = ServerMessage['t'];
