/**
 * One load-generator process for bench:fanout. It opens WebSocket connections for its users, sends
 * location updates at the rate the parent sets, and records for every friend_loc it receives the
 * delay since the sender stamped the update (same machine, same clock). Talks to the parent over IPC.
 */
import { encodeClientMessage } from '@locus/protocol';
import { unpack } from 'msgpackr';
import WebSocket from 'ws';
import { LatencyHistogram } from './histogram.js';

interface Start {
  kind: 'start';
  url: string;
  users: { id: string; token: string; lat: number; lng: number }[];
}
interface Phase {
  kind: 'phase';
  /** Open loop: updates per second for this worker as a whole (0 = idle). */
  rate: number;
  /**
   * Closed loop instead of `rate` when > 0: keep this many acknowledged updates in flight, so the
   * offered load follows what the gateway sustains and no queue grows without bound.
   */
  window?: number;
  /** Reset counters at the start of the phase. */
  reset: boolean;
}
type ParentMessage = Start | Phase | { kind: 'report' } | { kind: 'exit' };

const sockets: WebSocket[] = [];
let users: Start['users'] = [];
let hist = new LatencyHistogram();
let sent = 0;
let received = 0;
let rate = 0;
let timer: NodeJS.Timeout | undefined;
let cursor = 0;
let window = 0;
let inFlight = 0;
let seq = 0;
const now = (): number => performance.timeOrigin + performance.now();

function onMessage(data: WebSocket.RawData, isBinary: boolean): void {
  if (!isBinary) return;
  const m = unpack(data as Buffer) as { t?: string; ts?: number };
  if (m.t === 'ok') {
    inFlight--;
    if (window > 0) pump();
    return;
  }
  if (m.t !== 'friend_loc' || typeof m.ts !== 'number') return;
  received++;
  hist.record(now() - m.ts);
}

async function start(msg: Start): Promise<void> {
  users = msg.users;
  let open = 0;
  // Connect in batches so the gateway's accept queue is never the thing being measured.
  for (let i = 0; i < users.length; i += 200) {
    await Promise.all(
      users.slice(i, i + 200).map(
        (u) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(msg.url, { headers: { authorization: `Bearer ${u.token}` }, perMessageDeflate: false });
            ws.on('message', onMessage);
            ws.once('open', () => {
              open++;
              resolve();
            });
            ws.once('error', reject);
            sockets.push(ws);
          }),
      ),
    );
  }
  process.send!({ kind: 'ready', open });
}

function sendOne(acked: boolean): void {
  const i = cursor++ % sockets.length;
  const u = users[i]!;
  // Stay on the spot (all friends in range) with a small wobble.
  const msg: Record<string, unknown> = { t: 'loc', lat: u.lat + (Math.random() - 0.5) * 1e-4, lng: u.lng, ts: now() };
  if (acked) {
    msg.seq = seq++;
    inFlight++;
  }
  sockets[i]!.send(encodeClientMessage(msg), { binary: true });
  sent++;
}

function pump(): void {
  while (inFlight < window) sendOne(true);
}

/** Every 5 ms send the updates due, round-robin over this worker's users. */
function setRate(r: number, w: number): void {
  rate = r;
  window = w;
  if (timer) clearInterval(timer);
  timer = undefined;
  if (window > 0) {
    pump();
    return;
  }
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
        sent = 0;
        received = 0;
      }
      setRate(m.rate, m.window ?? 0);
      break;
    case 'report':
      process.send!({ kind: 'report', sent, received, counts: Array.from(hist.counts), total: hist.total, max: hist.max });
      break;
    case 'exit':
      if (timer) clearInterval(timer);
      for (const ws of sockets) ws.terminate();
      process.exit(0);
  }
});
