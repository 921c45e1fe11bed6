import type { NavSession } from './nav-session.js';

/**
 * Sessions waiting for one kind of work, first in first out, worked through in time slices (the
 * traffic work of NavigationService.runPending). An array and a read index: taking from the front
 * costs nothing, and the array is reset once it has been worked through.
 */
export class SessionQueue {
  private items: NavSession[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(s: NavSession): void {
    this.items.push(s);
  }

  /** Work through the queue until it is empty or `until()` says stop; true when it is empty. */
  drain(work: (s: NavSession) => void, until: () => boolean = never): boolean {
    const items = this.items;
    while (this.head < items.length) {
      if (until()) return false;
      const s = items[this.head]!;
      items[this.head++] = undefined as never;
      work(s);
    }
    items.length = 0;
    this.head = 0;
    return true;
  }

  /** Reorder the last `count` sessions queued (the newest batch) in place. */
  sortTail(count: number, compare: (a: NavSession, b: NavSession) => number): void {
    if (count < 2) return;
    const batch = this.items.splice(this.items.length - count).sort(compare);
    for (const s of batch) this.items.push(s);
  }
}

const never = (): boolean => false;
