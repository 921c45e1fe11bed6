/**
 * One load-generator process of the side-by-side benchmark. It holds WebSocket connections (the same
 * client for every stack, so that client costs are alike: the bench's own lean client by default,
 * the `ws` library with `--client ws`) for its users, walks each user along a
 * Berlin GPS trace, sends location updates at the rate the parent sets (or keeps a window of
 * acknowledged updates in flight), and records for every friend update received the delay since the
 * sender stamped it (same machine, same clock). Talks to the parent over IPC.
 *
 * Wire per stack:
 *   locus    — msgpack `loc` {lat,lng,ts,seq} → `ok` {seq}; receives msgpack `friend_loc` {ts}.
 *   uws      — the same frames (the bare server speaks the same subset).
 *   socketio — Engine.IO v4 / Socket.IO v5 text frames: `42N["loc",{…}]` → ack `43N[seq]`;
 *              receives `42["friend_loc",{…,"ts":…}]`; answers Engine.IO pings.
 */
import { pack } from 'msgpackr';
import WebSocket from 'ws';
import {
  ACK,
  decodeMsgpackMessage,
  decodeSocketIoMessage,
  DELIVERY,
  ERROR,
  readMsgpackMessage,
  readSocketIoDelivery,
  UNKNOWN,
  type MessageKind,
  type Stamp,
} from './delivery-reader.js';
import { LeanSocket } from './lean-socket.js';
import { sendOrder, type SendOrder } from './send-order.js';
import { LatencyHistogram } from '../histogram.js';
import { loadTraces } from '../../trace-file.js';

export type Stack = 'locus' | 'uws' | 'socketio';
export type ClientKind = 'lean' | 'ws';

/** What the worker needs of a connection, from either client. */
interface BenchSocket {
  send(data: Buffer | string, isBinary: boolean): void;
  terminate(): void;
}

class WsSocket implements BenchSocket {
  constructor(readonly ws: WebSocket) {}
  send(data: Buffer | string, isBinary: boolean): void {
    this.ws.send(data, { binary: isBinary });
  }
  terminate(): void {
    this.ws.terminate();
  }
}

export interface WorkerUser {
  index: number;
  /** Locus: a bearer token; the others identify the user by index. */
  token?: string;
}
export interface Start {
  kind: 'start';
  stack: Stack;
  client: ClientKind;
  url: string;
  users: WorkerUser[];
  /** Local addresses to spread connections over (several 127.0.0.x pass the ephemeral-port limit). */
  localAddresses?: string[];
  /** The order users send in, round after round (see SendOrder). Default 'ring'. */
  order?: SendOrder;
}
export interface Phase {
  kind: 'phase';
  /** Open loop: updates per second for this worker as a whole (0 = idle). */
  rate: number;
  /** Closed loop instead when > 0: this many acknowledged updates in flight. */
  window?: number;
  reset: boolean;
}
export interface Report {
  kind: 'report';
  sent: number;
  acked: number;
  received: number;
  errors: number;
  counts: number[];
  total: number;
  max: number;
}
type ParentMessage = Start | Phase | { kind: 'report' } | { kind: 'exit' };

const now = (): number => performance.timeOrigin + performance.now();
const tracks = loadTraces(50);

let stack: Stack = 'locus';
const sockets: BenchSocket[] = [];
/** Per socket: its track and where on it the user is. */
let trackOf: Int32Array = new Int32Array(0);
let posOf: Int32Array = new Int32Array(0);
let hist = new LatencyHistogram();
let sent = 0;
let acked = 0;
let received = 0;
let errors = 0;
let timer: NodeJS.Timeout | undefined;
let cursor = 0;
/** Socket index of each turn of a round (SendOrder). */
let order: Int32Array = new Int32Array(0);
let window = 0;
let inFlight = 0;
let seq = 0;

function onAck(): void {
  acked++;
  inFlight--;
  if (window > 0) pump();
}

function onDelivery(ts: number): void {
  received++;
  hist.record(now() - ts);
}

/** Where the readers leave a delivery's stamp: one object, no allocation per message. */
const stamp: Stamp = { ts: 0 };

function count(kind: MessageKind): void {
  if (kind === DELIVERY) onDelivery(stamp.ts);
  else if (kind === ACK) onAck();
  else if (kind === ERROR) errors++;
}

function onBinary(data: Buffer): void {
  const kind = readMsgpackMessage(data, stamp);
  count(kind !== UNKNOWN ? kind : decodeMsgpackMessage(data, stamp));
}

function onSocketIo(ws: BenchSocket, data: Buffer): void {
  if (data.length === 1 && data[0] === 0x32) return void ws.send('3', false); // Engine.IO ping → pong
  const kind = readSocketIoDelivery(data, stamp);
  count(kind !== UNKNOWN ? kind : decodeSocketIoMessage(data.toString(), stamp));
}

function target(msg: Start, u: WorkerUser, i: number): { url: string; headers: Record<string, string>; localAddress: string | undefined } {
  const localAddress = msg.localAddresses?.length ? msg.localAddresses[i % msg.localAddresses.length] : undefined;
  const headers: Record<string, string> = {};
  let url = msg.url;
  if (msg.stack === 'locus') headers.authorization = `Bearer ${u.token!}`;
  if (msg.stack === 'uws') url = `${msg.url}?u=${u.index}`;
  if (msg.stack === 'socketio') url = `${msg.url}/socket.io/?EIO=4&transport=websocket`;
  return { url, headers, localAddress };
}

/**
 * Socket.IO: ready once the namespace connect is confirmed ("40{sid}"), after the Engine.IO open
 * ("0{…}"). Returns the handler for the frames before that; `ready` swaps in the steady one.
 */
function socketIoOpening(sock: BenchSocket, u: WorkerUser, ready: () => void, refused: (why: string) => void): (text: string) => void {
  return (text) => {
    if (text.startsWith('0{')) sock.send(`40${JSON.stringify({ user: u.index })}`, false);
    else if (text.startsWith('40')) ready();
    else if (text.startsWith('44')) refused(`socket.io connect refused: ${text}`);
  };
}

async function connectLean(msg: Start, u: WorkerUser, i: number): Promise<BenchSocket> {
  const t = target(msg, u, i);
  const sock = await LeanSocket.connect(t.url, { headers: t.headers, ...(t.localAddress ? { localAddress: t.localAddress } : {}) });
  if (msg.stack !== 'socketio') {
    sock.listen((d, bin) => {
      if (bin) onBinary(d);
    });
    return sock;
  }
  return new Promise((resolve, reject) => {
    const opening = socketIoOpening(
      sock,
      u,
      () => {
        sock.listen((d, bin) => {
          if (!bin) onSocketIo(sock, d);
        });
        resolve(sock);
      },
      (why) => reject(new Error(why)),
    );
    sock.listen((d, bin) => {
      if (!bin) opening(d.toString());
    });
  });
}

function connectWs(msg: Start, u: WorkerUser, i: number): Promise<BenchSocket> {
  const t = target(msg, u, i);
  const ws = new WebSocket(t.url, { perMessageDeflate: false, headers: t.headers, ...(t.localAddress ? { localAddress: t.localAddress } : {}) });
  const sock = new WsSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    if (msg.stack === 'socketio') {
      const opening = socketIoOpening(
        sock,
        u,
        () => {
          ws.off('message', onOpenFrames);
          ws.on('message', (d: Buffer, bin: boolean) => {
            if (!bin) onSocketIo(sock, d);
          });
          resolve(sock);
        },
        (why) => reject(new Error(why)),
      );
      const onOpenFrames = (data: Buffer, isBinary: boolean): void => {
        if (!isBinary) opening(data.toString());
      };
      ws.on('message', onOpenFrames);
    } else {
      ws.on('message', (d: Buffer, bin: boolean) => {
        if (bin) onBinary(d);
      });
      ws.once('open', () => resolve(sock));
    }
  });
}

async function start(msg: Start): Promise<void> {
  stack = msg.stack;
  trackOf = new Int32Array(msg.users.length);
  posOf = new Int32Array(msg.users.length);
  for (let i = 0; i < msg.users.length; i++) {
    trackOf[i] = msg.users[i]!.index % tracks.length;
    posOf[i] = Math.floor(Math.random() * tracks[trackOf[i]!]!.length);
  }
  // In batches, so the server's accept queue is never what is measured.
  for (let i = 0; i < msg.users.length; i += 200) {
    const connect = msg.client === 'ws' ? connectWs : connectLean;
    const batch = await Promise.all(msg.users.slice(i, i + 200).map((u, k) => connect(msg, u, i + k)));
    sockets.push(...batch);
  }
  order = sendOrder(sockets.length, msg.order ?? 'ring', msg.users[0]?.index ?? 0);
  process.send!({ kind: 'ready', open: sockets.length });
}

function sendOne(withAck: boolean): void {
  const i = order[cursor++ % sockets.length]!;
  const track = tracks[trackOf[i]!]!;
  const p = (posOf[i] = (posOf[i]! + 1) % track.length);
  const lat = track.points[2 * p]!;
  const lng = track.points[2 * p + 1]!;
  const ts = now();
  const ws = sockets[i]!;
  if (withAck) inFlight++;
  const s = withAck ? ++seq : undefined;
  if (stack === 'socketio') {
    const body = JSON.stringify({ lat, lng, ts, seq: s });
    ws.send(withAck ? `42${s}["loc",${body}]` : `42["loc",${body}]`, false);
  } else {
    ws.send(pack(withAck ? { t: 'loc', lat, lng, ts, seq: s } : { t: 'loc', lat, lng, ts }), true);
  }
  sent++;
}

function pump(): void {
  while (inFlight < window) sendOne(true);
}

/** Every 5 ms send the updates due, round-robin over this worker's users. */
function setRate(rate: number, w: number): void {
  window = w;
  if (timer) clearInterval(timer);
  timer = undefined;
  if (window > 0) return pump();
  if (rate <= 0) return;
  let due = 0;
  let last = performance.now();
  timer = setInterval(() => {
    const t = performance.now();
    due += ((t - last) * rate) / 1000;
    last = t;
    while (due >= 1) {
      due--;
      sendOne(false);
    }
  }, 5);
}

process.on('message', (m: ParentMessage) => {
  switch (m.kind) {
    case 'start':
      void start(m).catch((err: unknown) => process.send!({ kind: 'error', error: String(err) }));
      break;
    case 'phase':
      if (m.reset) {
        hist = new LatencyHistogram();
        sent = acked = received = errors = 0;
      }
      setRate(m.rate, m.window ?? 0);
      break;
    case 'report': {
      const r: Report = { kind: 'report', sent, acked, received, errors, counts: Array.from(hist.counts), total: hist.total, max: hist.max };
      process.send!(r);
      break;
    }
    case 'exit':
      if (timer) clearInterval(timer);
      for (const ws of sockets) ws.terminate();
      process.exit(0);
  }
});
