import { channels, type BusListener, type Engine } from '@locus/engine';
import type { Fence } from '@locus/protocol';
import { FenceIndex } from './fence-index.js';
import { fenceShape } from './fence-shape.js';
import { decodeFenceChange, type FenceStore } from './fence-store.js';

export type RoamingFence = Extract<Fence, { kind: 'friend' }>;

/**
 * Every fence, on every gateway: static fences in the S2 cell index (tested against each location
 * update), roaming fences by owner (evaluated by the owner's nearby hub). Loaded at start and kept
 * current by the store's announcements; the writing gateway applies its own writes at once.
 */
export class FenceDirectory {
  readonly index = new FenceIndex();
  private readonly roaming = new Map<string, RoamingFence[]>();
  private readonly fences = new Map<string, Fence>();
  /** Told when an owner's roaming fences change (the hub re-reads them). */
  onRoamingChange: ((owner: string) => void) | undefined;
  private readonly onChange: BusListener = (_c, payload) => {
    const c = decodeFenceChange(payload);
    if (!c) return;
    if (c.op === 'delete') this.remove(c.id);
    else void this.store.get(c.id).then((f) => f && this.put(f), () => undefined);
  };

  constructor(
    private readonly engine: Engine,
    private readonly store: FenceStore,
  ) {}

  async start(): Promise<void> {
    await this.engine.bus.subscribe(channels.fenceChanges(), this.onChange);
    for (const f of await this.store.all()) this.put(f);
  }

  async stop(): Promise<void> {
    await this.engine.bus.unsubscribe(channels.fenceChanges(), this.onChange);
  }

  get(id: string): Fence | undefined {
    return this.fences.get(id);
  }

  roamingOf(owner: string): readonly RoamingFence[] {
    return this.roaming.get(owner) ?? [];
  }

  put(f: Fence): void {
    if (this.fences.has(f.id)) return;
    this.fences.set(f.id, f);
    if (f.kind === 'friend') {
      this.roaming.set(f.owner, [...this.roamingOf(f.owner), f]);
      this.onRoamingChange?.(f.owner);
    } else {
      try {
        this.index.add(fenceShape(f));
      } catch {
        // Validated at creation; a record that no longer builds is skipped rather than fatal.
      }
    }
  }

  remove(id: string): void {
    const f = this.fences.get(id);
    if (!f) return;
    this.fences.delete(id);
    if (f.kind === 'friend') {
      const rest = this.roamingOf(f.owner).filter((r) => r.id !== id);
      if (rest.length > 0) this.roaming.set(f.owner, rest);
      else this.roaming.delete(f.owner);
      this.onRoamingChange?.(f.owner);
    } else this.index.remove(id);
  }
}
