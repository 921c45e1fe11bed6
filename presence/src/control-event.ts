import { pack, unpack } from 'msgpackr';

/**
 * Events on a user's control channel: friendship changes and settings changes. Every gateway holding
 * a connection of the user subscribes to it, so a change made anywhere takes effect everywhere.
 */
export type ControlKind = 'requested' | 'accepted' | 'declined' | 'removed' | 'settings';

export interface ControlEvent {
  kind: ControlKind;
  /** The other user (for friendship events) or the user itself (settings). */
  user: string;
}

const KINDS = new Set<string>(['requested', 'accepted', 'declined', 'removed', 'settings']);

export function encodeControlEvent(e: ControlEvent): Uint8Array {
  return pack({ k: e.kind, u: e.user });
}

export function decodeControlEvent(bytes: Uint8Array): ControlEvent | null {
  try {
    const v = unpack(bytes as Buffer) as { k?: unknown; u?: unknown } | null;
    if (!v || typeof v.k !== 'string' || !KINDS.has(v.k) || typeof v.u !== 'string') return null;
    return { kind: v.k as ControlKind, user: v.u };
  } catch {
    return null;
  }
}
