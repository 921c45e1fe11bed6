/**
 * A coarse timing wheel (one slot per second) for "nothing heard from this friend for the TTL". An item
 * sits in at most one slot: refreshing its deadline does not move it, and when its slot comes up it is
 * either expired or put into the slot of its new deadline. No timer per item, no closure per update.
 */
export interface WheelItem {
  /** Deadline, ms since the epoch; 0 = not scheduled for expiry. */
  expiresAt: number;
  /** Slot (second) the item is filed under; -1 when in none. Owned by the wheel. */
  wheelSlot: number;
}

export class ExpiryWheel<T extends WheelItem> {
  private readonly slots = new Map<number, T[]>();

  /** File the item under its deadline unless it already sits in an earlier slot. */
  schedule(item: T): void {
    if (item.expiresAt <= 0) return;
    const slot = Math.floor(item.expiresAt / 1000);
    if (item.wheelSlot !== -1 && item.wheelSlot <= slot) return;
    if (item.wheelSlot !== -1) this.unfile(item);
    this.file(item, slot);
  }

  /** Forget the item (it left the gateway). */
  cancel(item: T): void {
    if (item.wheelSlot !== -1) this.unfile(item);
  }

  /** Call `expire` for every item whose deadline is ≤ now; re-file the ones whose deadline moved. */
  advance(now: number, expire: (item: T) => void): void {
    const upTo = Math.floor(now / 1000);
    // At most TTL-in-seconds slots exist, so visiting every key once a second is cheap, and it needs no
    // cursor bookkeeping for items filed under a slot that is already past.
    for (const [slot, list] of this.slots) {
      if (slot > upTo) continue;
      this.slots.delete(slot);
      for (const item of list) {
        if (item.wheelSlot !== slot) continue;
        item.wheelSlot = -1;
        if (item.expiresAt <= 0) continue;
        if (item.expiresAt <= now) expire(item);
        // Never back into a slot this pass would visit again: at most one second late.
        else this.file(item, Math.max(Math.floor(item.expiresAt / 1000), upTo + 1));
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const l of this.slots.values()) n += l.length;
    return n;
  }

  private file(item: T, slot: number): void {
    item.wheelSlot = slot;
    const list = this.slots.get(slot);
    if (list) list.push(item);
    else this.slots.set(slot, [item]);
  }

  private unfile(item: T): void {
    const list = this.slots.get(item.wheelSlot);
    if (list) {
      const i = list.indexOf(item);
      if (i >= 0) {
        list[i] = list[list.length - 1]!;
        list.pop();
      }
      if (list.length === 0) this.slots.delete(item.wheelSlot);
    }
    item.wheelSlot = -1;
  }
}
