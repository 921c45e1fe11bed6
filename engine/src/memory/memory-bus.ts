import type { OpenGate } from '../open-gate.js';
import type { PrivateChannel } from '../private-channel.js';
import type { SubscriptionTable } from '../subscriptions.js';
import type { Bus, BusListener } from '../types.js';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The in-process bus. Delivery is asynchronous, like every networked bus: publish() only queues, and
 * one microtask drains the queue, so a listener never runs inside publish() (no re-entrancy surprises
 * in callers that publish while holding state) and publish order is preserved, per channel and overall.
 *
 * The queue is two parallel arrays, double-buffered: no closure and no record per message, and a
 * message published by a listener during the drain goes to the next drain instead of growing the
 * array being iterated.
 *
 * Payloads are delivered by reference (no copy): publishers must not mutate bytes after publishing,
 * listeners must not mutate what they receive (the same bytes go to every listener).
 */
export class MemoryBus implements Bus {
  private channels: string[] = [];
  private payloads: Uint8Array[] = [];
  private spareChannels: string[] = [];
  private sparePayloads: Uint8Array[] = [];
  private scheduled = false;

  constructor(
    private readonly table: SubscriptionTable,
    private readonly gate: OpenGate,
    private readonly privateChannel: PrivateChannel,
  ) {}

  get channelCount(): number {
    return this.table.channelCount;
  }

  publish(channel: string, payload: Uint8Array): Promise<void> {
    if (this.gate.closed) return this.gate.rejection();
    this.channels.push(channel);
    this.payloads.push(payload);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.drain);
    }
    return RESOLVED;
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    this.gate.check();
    // In-process, a subscription is active as soon as the table has it.
    this.table.add(channel, listener);
  }

  /** After close there is nothing left to unsubscribe from: resolves, so shutdown paths need no guards. */
  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    this.table.remove(channel, listener);
  }

  /** Drops queued messages and subscriptions (close). */
  clear(): void {
    this.channels.length = 0;
    this.payloads.length = 0;
    this.table.clear();
  }

  /** Bound once: queueMicrotask gets the same function every time. */
  private readonly drain = (): void => {
    const channels = this.channels;
    const payloads = this.payloads;
    this.channels = this.spareChannels;
    this.payloads = this.sparePayloads;
    this.scheduled = false;
    const privateName = this.privateChannel.name;
    for (let i = 0; i < channels.length && !this.gate.closed; i++) {
      const channel = channels[i]!;
      if (channel === privateName) this.privateChannel.receive(payloads[i]!);
      else this.table.deliver(channel, payloads[i]!);
    }
    // Release payload references now rather than at the next drain.
    channels.length = 0;
    payloads.length = 0;
    this.spareChannels = channels;
    this.sparePayloads = payloads;
  };
}
