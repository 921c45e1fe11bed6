import { keys, type Engine } from '@locus/engine';
import type { FenceEventKind } from '@locus/protocol';
import { pack, unpack } from 'msgpackr';
import type { FenceDirectory } from './fence-directory.js';
import type { FenceShape } from './fence-shape.js';

export interface FenceEvent {
  /** Who is told: the fence's owner. */
  owner: string;
  fence: string;
  name?: string;
  kind: FenceEventKind;
  /** Who crossed it. */
  user: string;
  at: number;
}

interface Inside {
  since: number;
  dwelled: boolean;
}

/**
 * Enter / exit / dwell for static fences, per user, on the gateway that accepts the user's updates.
 * Which fences a user is inside is kept in memory and written to the engine on every transition, so
 * a reconnect to another gateway neither repeats an `enter` nor misses an `exit`. Dwell is checked
 * by a once-a-second sweep, so it fires even when the user stops sending while inside.
 */
export class FenceTracker {
  private readonly states = new Map<string, Map<string, Inside>>();
  private readonly scratch: FenceShape[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly directory: FenceDirectory,
    private readonly defaultDwellMs: number,
    private readonly emit: (e: FenceEvent) => void,
  ) {}

  /** False when no fence exists and nobody is inside one: the update path skips the tracker entirely. */
  get active(): boolean {
    return this.directory.index.size > 0 || this.states.size > 0;
  }

  async onLocation(user: string, lat: number, lng: number, at: number): Promise<void> {
    const candidates = this.directory.index.containingInto(lat, lng, this.scratch);
    let state = this.states.get(user);
    // Nothing to compare with and nothing inside: skip the state read (the common case).
    if (!state && candidates.length === 0 && !(await this.hasStoredState(user))) return;
    state ??= await this.load(user);
    let changed = false;
    const now = new Set<string>();
    for (const shape of candidates) {
      const f = shape.fence;
      if (f.scope !== 'all' && f.owner !== user) continue;
      now.add(f.id);
      if (state.has(f.id)) continue;
      state.set(f.id, { since: at, dwelled: false });
      changed = true;
      this.emit(this.event(f.id, 'enter', user, at));
    }
    for (const id of state.keys()) {
      if (now.has(id)) continue;
      state.delete(id);
      changed = true;
      if (this.directory.get(id)) this.emit(this.event(id, 'exit', user, at));
    }
    if (changed) await this.save(user, state);
  }

  /** Dwell events for users inside long enough (call about once a second). */
  sweep(now: number): void {
    for (const [user, state] of this.states) {
      for (const [id, inside] of state) {
        if (inside.dwelled) continue;
        const f = this.directory.get(id);
        if (!f || f.kind === 'friend') continue;
        const dwellMs = f.dwellSec !== undefined ? f.dwellSec * 1000 : this.defaultDwellMs;
        if (now - inside.since < dwellMs) continue;
        inside.dwelled = true;
        this.emit(this.event(id, 'dwell', user, now));
        void this.save(user, state).catch(() => undefined);
      }
    }
  }

  /** The user left this gateway: its state stays in the engine for wherever it goes next. */
  forget(user: string): void {
    this.states.delete(user);
  }

  private event(fence: string, kind: FenceEventKind, user: string, at: number): FenceEvent {
    const f = this.directory.get(fence)!;
    const e: FenceEvent = { owner: f.owner, fence, kind, user, at };
    if (f.name !== undefined) e.name = f.name;
    return e;
  }

  private async hasStoredState(user: string): Promise<boolean> {
    const s = await this.load(user);
    return s.size > 0;
  }

  private async load(user: string): Promise<Map<string, Inside>> {
    const cached = this.states.get(user);
    if (cached) return cached;
    const b = await this.engine.kv.get(keys.fenceState(user));
    const state = new Map<string, Inside>();
    if (b) {
      try {
        for (const [id, v] of Object.entries(unpack(b as Buffer) as Record<string, Inside>)) state.set(id, v);
      } catch {
        // A corrupt state record is treated as "inside nothing": worst case one repeated enter.
      }
    }
    this.states.set(user, state);
    return state;
  }

  private async save(user: string, state: Map<string, Inside>): Promise<void> {
    if (state.size === 0) await this.engine.kv.del(keys.fenceState(user));
    else await this.engine.kv.set(keys.fenceState(user), pack(Object.fromEntries(state)));
  }
}
