import { decodeServerFrame, encodeClientMessage, type ServerMessage } from '@locus/protocol';
import WebSocket from 'ws';

/**
 * A minimal protocol client for tests: records every server message and lets a test wait for the
 * next one matching a predicate. (The real SDK is client-sdk; this one stays deliberately dumb.)
 */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  /** Messages already returned by `next`: each is returned once. */
  private readonly consumed = new Set<ServerMessage>();

  private constructor(readonly ws: WebSocket, readonly format: 'msgpack' | 'json') {
    ws.on('message', (data, isBinary) => {
      const m = decodeServerFrame(isBinary ? (data as Buffer) : data.toString());
      this.messages.push(m);
      const i = this.waiters.findIndex((w) => w.pred(m));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w!.resolve(m);
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static connect(
    url: string,
    opts: { token?: string; query?: boolean; protocols?: string[]; format?: 'msgpack' | 'json' } = {},
  ): Promise<TestClient> {
    const u = new URL(url);
    const headers: Record<string, string> = {};
    if (opts.token && opts.query) u.searchParams.set('token', opts.token);
    else if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.format === 'json' && !opts.protocols) u.searchParams.set('format', 'json');
    const ws = new WebSocket(u, opts.protocols ?? [], { headers });
    const client = new TestClient(ws, opts.format ?? 'msgpack');
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    const data = encodeClientMessage(msg, this.format);
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  sendRaw(data: Uint8Array | string, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** The first message not returned by an earlier `next` that matches, waiting for it if needed. */
  next<T extends ServerMessage['t']>(t: T, pred: (m: Extract<ServerMessage, { t: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<ServerMessage, { t: T }>> {
    const match = (m: ServerMessage): boolean => m.t === t && pred(m as Extract<ServerMessage, { t: T }>);
    for (const m of this.messages) {
      if (!this.consumed.has(m) && match(m)) {
        this.consumed.add(m);
        return Promise.resolve(m as Extract<ServerMessage, { t: T }>);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${t}; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        pred: match,
        resolve: (m) => {
          clearTimeout(timer);
          this.consumed.add(m);
          resolve(m as Extract<ServerMessage, { t: T }>);
        },
      });
    });
  }

  /** Send a request with an id and wait for the reply echoing it (any type, including error). */
  async request(msg: Record<string, unknown>, timeoutMs = 5000): Promise<ServerMessage> {
    const id = `r${Math.random().toString(36).slice(2, 10)}`;
    const reply = new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${JSON.stringify(msg)}`)), timeoutMs);
      this.waiters.push({
        pred: (m) => (m as { id?: unknown }).id === id,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
    this.send({ ...msg, id });
    return reply;
  }

  /** Messages of a type received so far. */
  all<T extends ServerMessage['t']>(t: T): Extract<ServerMessage, { t: T }>[] {
    return this.messages.filter((m) => m.t === t) as Extract<ServerMessage, { t: T }>[];
  }

  close(): void {
    this.ws.close();
  }
}
