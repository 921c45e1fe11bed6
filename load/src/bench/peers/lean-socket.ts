import { createHash, randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { clientFrame, WsFrameReader, type FrameSink } from './ws-frame-reader.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_TEXT = 1;
const OP_BINARY = 2;
const OP_CLOSE = 8;
const OP_PING = 9;
const OP_PONG = 10;

/**
 * Where every socket of the process reads into (Node's `onread`): no Readable stream machinery and no
 * new Buffer per read, which were ~7 % of a load worker's CPU. One buffer serves all sockets, because
 * each read is handled to the end before the next: what must outlive it (a frame cut across reads,
 * bytes before `listen`) is copied.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Where a socket's reads go: the handshake's reader first, then the frame reader. */
interface ReadRoute {
  to: (chunk: Buffer) => void;
}

export interface LeanSocketOptions {
  headers?: Record<string, string>;
  localAddress?: string;
  timeoutMs?: number;
}

/**
 * The bench's own WebSocket client (`bench:peers --client lean`, the default): a TCP socket, the
 * upgrade handshake, and WsFrameReader. What `ws` adds on top (a stream per socket, events per
 * frame, buffer lists) cost the load generators ~as much CPU per delivery as the server under test
 * spent; on a 2-core machine that CPU is taken from the server. No extensions, no TLS: loopback only.
 */
export class LeanSocket implements FrameSink {
  private onMessage: (data: Buffer, isBinary: boolean) => void = () => undefined;
  private readonly reader = new WsFrameReader(this);
  private closed = false;
  /** Bytes that came before `listen`: a server may send its first message with the handshake. */
  private early: Buffer[] | null = [];

  private constructor(
    private readonly socket: Socket,
    route: ReadRoute,
  ) {
    route.to = (chunk) => {
      if (this.early) this.early.push(Buffer.from(chunk));
      else this.read(chunk);
    };
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  static connect(url: string, opts: LeanSocketOptions = {}): Promise<LeanSocket> {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    const port = Number(u.port || 80);
    return new Promise((resolve, reject) => {
      const route: ReadRoute = { to: () => undefined };
      const socket = tcpConnect({
        host: u.hostname,
        port,
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        onread: {
          buffer: READ_BUFFER,
          callback: (n: number, buf: Uint8Array): boolean => {
            route.to((buf as Buffer).subarray(0, n));
            return true;
          },
        },
      });
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(new Error(`handshake timed out after ${opts.timeoutMs ?? 15_000} ms`)), opts.timeoutMs ?? 15_000);
      let head = Buffer.alloc(0);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16_384) fail(new Error('handshake response too long'));
          return;
        }
        route.to = () => undefined;
        socket.off('error', fail);
        clearTimeout(timer);
        const text = head.subarray(0, end).toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
        if (status !== '101') return fail(new Error(`HTTP ${status ?? '?'}`));
        if (!new RegExp(`^sec-websocket-accept:\\s*${accept.replace(/[+/=]/g, '\\$&')}\\s*$`, 'im').test(text)) {
          return fail(new Error('bad Sec-WebSocket-Accept'));
        }
        const ws = new LeanSocket(socket, route);
        if (end + 4 < head.length) ws.early!.push(head.subarray(end + 4));
        resolve(ws);
      };
      route.to = onData;
      socket.once('error', fail);
      socket.once('connect', () => {
        const extra = Object.entries(opts.headers ?? {})
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('');
        socket.write(
          `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
        );
      });
    });
  }

  /** From now on, every whole message, in order (including any that came with the handshake). */
  listen(onMessage: (data: Buffer, isBinary: boolean) => void): void {
    this.onMessage = onMessage;
    const early = this.early;
    this.early = null;
    for (const chunk of early ?? []) this.read(chunk);
  }

  private read(chunk: Buffer): void {
    try {
      this.reader.push(chunk);
    } catch {
      this.terminate();
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(data: Buffer | string, isBinary: boolean): void {
    if (this.closed) return;
    this.socket.write(clientFrame(typeof data === 'string' ? Buffer.from(data) : data, isBinary ? OP_BINARY : OP_TEXT));
  }

  terminate(): void {
    this.closed = true;
    this.socket.destroy();
  }

  message(data: Buffer, isBinary: boolean): void {
    this.onMessage(data, isBinary);
  }

  control(opcode: number, payload: Buffer): void {
    if (opcode === OP_PING) this.socket.write(clientFrame(Buffer.from(payload), OP_PONG));
    else if (opcode === OP_CLOSE && !this.closed) {
      this.socket.end(clientFrame(Buffer.from(payload.subarray(0, 2)), OP_CLOSE));
      this.closed = true;
    }
  }
}
