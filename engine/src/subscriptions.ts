import { asError } from './errors.js';
import type { BusListener } from './types.js';

interface ChannelEntry {
  /**
   * Each listener once, whatever its reference count. Copy-on-write: replaced, never mutated, so a
   * dispatch in progress iterates a stable snapshot while listeners (un)subscribe from callbacks.
   */
  listeners: readonly BusListener[];
  /** Reference count per listener, aligned with `listeners`; private, so mutated in place. */
  counts: number[];
}

/**
 * Reference-counted subscriptions, shared by every engine: the engine subscribes upstream only when
 * `add` reports a channel's first reference and unsubscribes when `remove` reports its last, so many
 * consumers in one process cost one upstream subscription per channel.
 *
 * A listener referenced twice on a channel is still called once per message: references count
 * interest, not deliveries.
 */
export class SubscriptionTable {
  private readonly byChannel = new Map<string, ChannelEntry>();

  /** Receives exceptions thrown by listeners; one listener failing never stops the others. */
  constructor(private readonly onListenerError: (err: Error) => void) {}

  get channelCount(): number {
    return this.byChannel.size;
  }

  /** Logical names of all channels with at least one reference (for resubscribing after a reconnect). */
  channels(): IterableIterator<string> {
    return this.byChannel.keys();
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  /** Adds one reference; true when it is the channel's first (the caller must subscribe upstream). */
  add(channel: string, listener: BusListener): boolean {
    const entry = this.byChannel.get(channel);
    if (entry === undefined) {
      this.byChannel.set(channel, { listeners: [listener], counts: [1] });
      return true;
    }
    const i = entry.listeners.indexOf(listener);
    if (i >= 0) {
      entry.counts[i]! += 1;
    } else {
      entry.listeners = [...entry.listeners, listener];
      entry.counts.push(1);
    }
    return false;
  }

  /**
   * Removes one reference; true when it was the channel's last (the caller must unsubscribe upstream).
   * Removing a reference that does not exist is a no-op (false), so cleanup paths can be sloppy.
   */
  remove(channel: string, listener: BusListener): boolean {
    const entry = this.byChannel.get(channel);
    if (entry === undefined) return false;
    const i = entry.listeners.indexOf(listener);
    if (i < 0) return false;
    if (entry.counts[i]! > 1) {
      entry.counts[i]! -= 1;
      return false;
    }
    if (entry.listeners.length === 1) {
      this.byChannel.delete(channel);
      return true;
    }
    entry.listeners = entry.listeners.filter((l) => l !== listener);
    entry.counts.splice(i, 1);
    return false;
  }

  /**
   * Calls every listener of `channel` (nothing when there is none: a message can still arrive just
   * after the last unsubscribe). Listeners present when the dispatch starts get the message.
   */
  deliver(channel: string, payload: Uint8Array): void {
    const entry = this.byChannel.get(channel);
    if (entry === undefined) return;
    const listeners = entry.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i]!(channel, payload);
      } catch (err) {
        this.onListenerError(asError(err));
      }
    }
  }

  clear(): void {
    this.byChannel.clear();
  }
}
