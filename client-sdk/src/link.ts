import type { ServerMessage, Welcome, WireFormat } from '@locus/protocol';
import { decodeMessage, encodeMessage } from './wire.js';
import { LocusClientError } from './errors.js';
import { RateGate } from './rate-gate.js';

/** What the SDK needs of a WebSocket: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: never) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: never) => void) | null;
}

/** A WebSocket class: `globalThis.WebSocket`, or `WebSocket` from the `ws` package on Node 20. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => object;

export interface LinkHandlers {
  message(link: Link, msg: ServerMessage): void;
  closed(link: Link, code: number, reason: string): void;
}

interface Pending {
  resolve(msg: ServerMessage): void;
  reject(err: LocusClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/**
 * One WebSocket connection to one gateway: the subprotocol that picks the wire format, frame
 * encoding, request/reply matching by id, and a send queue paced by the gateway's rate limit.
 * The client replaces links; a link never reconnects itself.
 */
export class Link {
  readonly opened: Promise<Welcome>;
  welcome: Welcome | undefined;
  closed = false;
  private readonly ws: WebSocketLike;
  private readonly pending = new Map<string | number, Pending>();
  private readonly queue: unknown[] = [];
  private gate: RateGate | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Sequence number of this link within its client (fixes remember which link they went out on). */
    readonly n: number,
    readonly url: string,
    socketUrl: string,
    private readonly format: WireFormat,
    Ctor: WebSocketConstructor,
    private readonly handlers: LinkHandlers,
    openTimeoutMs: number,
  ) {
    this.ws = new Ctor(socketUrl, format === 'json' ? 'locus.v1.json' : 'locus.v1') as WebSocketLike;
    this.ws.binaryType = 'arraybuffer';
    this.opened = new Promise<Welcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new LocusClientError('TIMEOUT', `no welcome from ${url} within ${openTimeoutMs} ms`));
        this.close(1000, 'open timeout');
      }, openTimeoutMs);
      this.ws.onmessage = (ev) => {
        let msg: ServerMessage;
        try {
          msg = decodeMessage(ev.data);
        } catch {
          return; // servers are trusted; a garbled frame is dropped rather than killing the link
        }
        if (msg.t === 'welcome' && !this.welcome) {
          clearTimeout(timer);
          this.welcome = msg;
          this.gate = new RateGate(msg.limits.ratePerSec, msg.limits.burst);
          resolve(msg);
          this.drain();
        }
        this.onMessage(msg);
      };
      this.ws.onclose = (ev) => {
        clearTimeout(timer);
        this.closed = true;
        if (this.drainTimer) clearTimeout(this.drainTimer);
        const err = new LocusClientError('CONNECTION_LOST', `connection closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`, { closeCode: ev.code });
        for (const p of this.pending.values()) {
          clearTimeout(p.timer);
          p.reject(err);
        }
        this.pending.clear();
        reject(err);
        this.handlers.closed(this, ev.code, ev.reason);
      };
      // Errors are always followed by close, which carries the code.
      this.ws.onerror = () => undefined;
    });
    // Nobody may be waiting on `opened` when the link fails after it opened.
    this.opened.catch(() => undefined);
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** Queue a message; frames leave in order, as fast as the gateway's rate limit allows. */
  send(msg: unknown): void {
    if (this.closed) return;
    this.queue.push(msg);
    this.drain();
  }

  /** Frames waiting for rate budget. */
  get queued(): number {
    return this.queue.length;
  }

  /** Send and resolve with the reply that carries `id` (an `error` reply rejects). */
  request(msg: { t: string; id: string | number; [k: string]: unknown }, timeoutMs: number): Promise<ServerMessage> {
    if (this.closed) return Promise.reject(new LocusClientError('CONNECTION_LOST'));
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msg.id);
        reject(new LocusClientError('TIMEOUT', `no reply to ${msg.t} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(msg.id, { resolve, reject, timer });
      this.send(msg);
    });
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    try {
      this.ws.close(code, reason);
    } catch {
      // already closing
    }
  }

  private onMessage(msg: ServerMessage): void {
    const id = 'id' in msg ? msg.id : undefined;
    if (id !== undefined && typeof id === 'string') {
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        clearTimeout(p.timer);
        if (msg.t === 'error') p.reject(LocusClientError.fromServer(msg));
        else p.resolve(msg);
        // Navigation replies are also events (a UI listens to one stream of routes).
        if (msg.t.startsWith('nav_')) this.handlers.message(this, msg);
        return;
      }
    }
    this.handlers.message(this, msg);
  }

  private drain(): void {
    // Before the welcome the limits are unknown: the welcome handler drains.
    if (this.closed || this.drainTimer || !this.gate || this.ws.readyState !== OPEN) return;
    while (this.queue.length > 0) {
      if (!this.gate.take()) {
        this.drainTimer = setTimeout(() => {
          this.drainTimer = undefined;
          this.drain();
        }, this.gate.waitMs());
        return;
      }
      this.ws.send(encodeMessage(this.queue.shift(), this.format));
    }
  }
}
