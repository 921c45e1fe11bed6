import type { RecognizedString, TemplatedApp, WebSocket } from '../uws.js';

/**
 * Friend updates reach a socket through a uWS topic of its own, not `ws.send`.
 *
 * Why: `ws.send` outside a corked callback is one write syscall per message. uWS keeps what is
 * published to a topic and drains it at the end of the event-loop turn, each subscriber's messages
 * in one corked write. A gateway fanning out thousands of updates a second sends many of them to
 * the same sockets within a turn, and the load generators' sockets receive fewer, fuller segments.
 * In `bench:peers` (BENCHMARKS.md, issue 7) this halved the gateway's CPU per update. uWS keeps the
 * order of a socket's messages: a `ws.send` first writes what the socket's topics still hold.
 *
 * A socket subscribes on its first friend update, so idle connections hold no subscription; uWS
 * drops the subscription when the socket closes.
 *
 * Publish from outside uWS callbacks where the volume is high: inside one, the calling socket is
 * corked, and a subscriber whose queue fills (32 messages) is then written uncorked, one syscall a
 * message. That is why the friend fan-out runs once per turn (HubDeps.deferFanOut).
 */
export class OwnTopics {
  private next = 0;

  constructor(private readonly app: TemplatedApp) {}

  /**
   * A new topic with `ws` as its one subscriber. Its name is bytes, not a string: uWS.js copies a
   * string argument into a new UTF-8 buffer on every call, bytes it reads in place, and publish is
   * called once per delivery (in a scratch loop, 373 against 437 ns a publish).
   */
  open(ws: WebSocket<unknown>): Uint8Array {
    const topic = Buffer.from(`s:${(this.next++).toString(36)}`, 'latin1');
    ws.subscribe(topic);
    return topic;
  }

  publish(topic: Uint8Array, message: RecognizedString, isBinary: boolean): void {
    this.app.publish(topic, message, isBinary);
  }
}
