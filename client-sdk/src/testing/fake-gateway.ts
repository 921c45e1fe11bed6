/* An in-memory stand-in for a gateway (JSON format) for SDK tests of what a real gateway cannot do yet. */
import type { WebSocketConstructor } from '../link.js';

export type Msg = Record<string, unknown> & { t: string };

export class FakeSocket {
  binaryType = 'blob';
  readyState = 0;
  bufferedAmount = 0;
  onopen: ((ev: never) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: never) => void) | null = null;

  constructor(
    readonly gateway: FakeGateway,
    readonly url: string,
  ) {
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.gateway.opened(this);
    }, 1);
  }

  send(data: string | Uint8Array): void {
    if (this.readyState !== 1) return;
    this.gateway.receive(this, JSON.parse(String(data)) as Msg);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    setTimeout(() => this.onclose?.({ code, reason }), 1);
  }

  /** The server side sends a message. */
  push(msg: Msg): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

export class FakeGateway {
  readonly sockets: FakeSocket[] = [];
  readonly received: { socket: FakeSocket; msg: Msg }[] = [];
  /** Answers client messages; default: `ok` for every `loc` with a seq. */
  onMessage: (socket: FakeSocket, msg: Msg) => void = (s, m) => {
    if (m.t === 'loc' && m.seq !== undefined) s.push({ t: 'ok', of: 'loc', seq: m.seq });
  };
  onOpen: (socket: FakeSocket) => void = () => undefined;

  readonly WebSocket: WebSocketConstructor;

  constructor(readonly user = 'ann') {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const gateway = this;
    this.WebSocket = class {
      constructor(url: string) {
        const s = new FakeSocket(gateway, url);
        gateway.sockets.push(s);
        return s;
      }
    } as unknown as WebSocketConstructor;
  }

  get current(): FakeSocket {
    return this.sockets[this.sockets.length - 1]!;
  }

  opened(s: FakeSocket): void {
    s.push({
      t: 'welcome',
      v: 1,
      user: this.user,
      server: `fake-${this.sockets.indexOf(s)}`,
      exp: Date.now() + 3_600_000,
      radius: 8000,
      limits: { maxFrameBytes: 16384, ratePerSec: 1000, burst: 1000, maxFriends: 1000, idleTimeoutSec: 60 },
    });
    s.push({ t: 'nearby', friends: [] });
    this.onOpen(s);
  }

  receive(s: FakeSocket, msg: Msg): void {
    this.received.push({ socket: s, msg });
    this.onMessage(s, msg);
  }

  /** The connection drops without a close frame. */
  drop(s = this.current): void {
    s.close(1006, '');
  }

  of(t: string): Msg[] {
    return this.received.filter((r) => r.msg.t === t).map((r) => r.msg);
  }
}
