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
  /** Updates per second for this worker as a whole (0 = idle). */
  rate: number;
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
const now = (): number => performance.timeOrigin + performance.now();

function onMessage(data: WebSocket.RawData, isBinary: boolean): void {
  if (!isBinary) return;
  const m = unpack(data as Buffer) as { t?: string; ts?: number };
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

/** Every 5 ms send the updates due, round-robin over this worker's users. */
function setRate(r: number): void {
  rate = r;
  if (timer) clearInterval(timer);
  timer = undefined;
  if (rate <= 0) return;
  let due = 0;
  let last = performance.now();
  timer = setInterval(() => {
    const t = performance.now();
    due += ((t - last) * rate) / 1000;
    last = t;
    while (due >= 1) {
      due--;
      const i = cursor++ % sockets.length;
      const u = users[i]!;
      const ws = sockets[i]!;
      // Stay on the spot (all friends in range) with a small wobble.
      const frame = encodeClientMessage({ t: 'loc', lat: u.lat + (Math.random() - 0.5) * 1e-4, lng: u.lng, ts: now() });
      ws.send(frame, { binary: true });
      sent++;
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
      setRate(m.rate);
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
