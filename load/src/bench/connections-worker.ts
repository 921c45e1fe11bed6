/**
 * One client process of bench:connections: opens authenticated WebSocket connections to a gateway in
 * steps the parent asks for, each bound to one of several loopback source addresses (one address has
 * only ~28k ephemeral ports towards one server port), and keeps them open and idle.
 */
import WebSocket from 'ws';

interface Open {
  kind: 'open';
  url: string;
  /** Tokens of the users to connect in this step. */
  tokens: string[];
  localAddresses: string[];
  concurrency: number;
  timeoutMs: number;
}
type ParentMessage = Open | { kind: 'count' } | { kind: 'exit' };

const sockets = new Set<WebSocket>();
let opened = 0;
let failures = 0;
let firstError: string | undefined;

function connectOne(url: string, token: string, localAddress: string | undefined, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      ...(localAddress ? { localAddress } : {}),
    });
    const fail = (why: string): void => {
      failures++;
      firstError ??= why;
      ws.terminate();
      resolve();
    };
    ws.once('open', () => {
      opened++;
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      resolve();
    });
    ws.once('error', (err) => fail(err.message));
    ws.once('unexpected-response', (_req, res) => fail(`HTTP ${res.statusCode}`));
  });
}

async function open(m: Open): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: m.concurrency }, async () => {
      while (next < m.tokens.length) {
        const i = next++;
        await connectOne(m.url, m.tokens[i]!, m.localAddresses[(opened + i) % m.localAddresses.length], m.timeoutMs);
      }
    }),
  );
  process.send!({ kind: 'opened', open: sockets.size, opened, failures, firstError });
}

process.on('message', (m: ParentMessage) => {
  if (m.kind === 'open') void open(m);
  else if (m.kind === 'count') process.send!({ kind: 'count', open: sockets.size, failures, firstError });
  else {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
