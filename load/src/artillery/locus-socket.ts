/**
 * A msgpack protocol session on one WebSocket for the artillery processor: every server message goes
 * through `unpack` into an inbox, and a step waits for the first message matching a predicate. Kept
 * free of server code: artillery loads the processor into each of its worker threads, and the
 * gateway's native uWS has no business there.
 */
import { pack, unpack } from 'msgpackr';
import type WebSocket from 'ws';

export interface ServerMsg {
  t: string;
  [k: string]: unknown;
}

/** A protocol `error`, or a message that never came: what fails a virtual user. */
export class UnexpectedResponse extends Error {
  override name = 'UnexpectedResponse';
}

interface Waiter {
  pred: (m: ServerMsg) => boolean;
  resolve: (m: ServerMsg) => void;
}

export class LocusSocket {
  private readonly inbox: ServerMsg[] = [];
  private readonly waiters: Waiter[] = [];
  private nextId = 0;
  /** Set once the socket closes, so that waits fail at once instead of timing out. */
  private closedWith: string | undefined;

  constructor(readonly ws: WebSocket, readonly label: string) {
    ws.on('message', (data: Buffer | string, isBinary?: boolean) => {
      // ws 8 passes (Buffer, isBinary); artillery's own ws 7 passes a string for a text frame and a
      // Buffer for a binary one. The scenarios negotiate msgpack (subprotocol locus.v1), so a text
      // frame is itself unexpected.
      const binary = isBinary ?? typeof data !== 'string';
      const m = (binary ? unpack(data as Buffer) : { t: 'text-frame', text: data.toString() }) as ServerMsg;
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(m);
      else this.inbox.push(m);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closedWith = `${code} ${reason.toString()}`;
    });
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(pack(msg), { binary: true });
  }

  /** The first unconsumed message matching `pred`, waiting up to `timeoutMs`. */
  next(what: string, pred: (m: ServerMsg) => boolean, timeoutMs: number): Promise<ServerMsg> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    if (this.closedWith) return Promise.reject(new UnexpectedResponse(`closed (${this.closedWith}) while waiting for ${what}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new UnexpectedResponse(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Send a request with an id; resolve with its reply of type `ok`, reject on anything else (an `error`). */
  async request(msg: Record<string, unknown>, timeoutMs: number, ok = 'ok'): Promise<ServerMsg> {
    const id = `${this.label}:${++this.nextId}`;
    const reply = this.next(`reply to ${String(msg.t)}`, (m) => m.id === id, timeoutMs);
    this.send({ ...msg, id });
    const m = await reply;
    if (m.t !== ok) throw new UnexpectedResponse(`${String(msg.t)} answered ${m.t} ${String(m.code ?? '')}`);
    return m;
  }

  /** Protocol errors the server pushed without being asked (rate limits, bad messages). */
  errors(): ServerMsg[] {
    return this.inbox.filter((m) => m.t === 'error' || m.t === 'text-frame');
  }

  /** Drop messages nobody will wait for (pushes the scenario does not check), keeping errors. */
  discardExcept(keep: (m: ServerMsg) => boolean): void {
    const kept = this.inbox.filter(keep);
    this.inbox.length = 0;
    this.inbox.push(...kept);
  }
}
