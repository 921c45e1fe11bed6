import { pack, unpack } from 'msgpackr';

/**
 * Events on a user's control channel: friendship changes and settings changes. Every gateway holding
 * a connection of the user subscribes to it, so a change made anywhere takes effect everywhere.
 */
export type ControlKind = 'requested' | 'accepted' | 'declined' | 'removed' | 'settings' | 'fence';

export interface FenceFired {
  fence: string;
  event: 'enter' | 'exit' | 'dwell';
  at: number;
  name?: string;
}

export interface ControlEvent {
  kind: ControlKind;
  /** The other user (friendship events), the user itself (settings), who crossed the fence (fence). */
  user: string;
  /** For kind 'fence': which of the user's fences fired, and how. */
  fence?: FenceFired;
}

const KINDS = new Set<string>(['requested', 'accepted', 'declined', 'removed', 'settings', 'fence']);
const FENCE_EVENTS = new Set<string>(['enter', 'exit', 'dwell']);

export function encodeControlEvent(e: ControlEvent): Uint8Array {
  return pack(e.fence ? { k: e.kind, u: e.user, f: e.fence } : { k: e.kind, u: e.user });
}

export function decodeControlEvent(bytes: Uint8Array): ControlEvent | null {
  try {
    const v = unpack(bytes as Buffer) as { k?: unknown; u?: unknown; f?: Partial<FenceFired> } | null;
    if (!v || typeof v.k !== 'string' || !KINDS.has(v.k) || typeof v.u !== 'string') return null;
    if (v.k !== 'fence') return { kind: v.k as ControlKind, user: v.u };
    const f = v.f;
    if (!f || typeof f.fence !== 'string' || typeof f.event !== 'string' || !FENCE_EVENTS.has(f.event) || typeof f.at !== 'number') return null;
    const fence: FenceFired = { fence: f.fence, event: f.event, at: f.at };
    if (typeof f.name === 'string') fence.name = f.name;
    return { kind: 'fence', user: v.u, fence };
  } catch {
    return null;
  }
}
