/**
 * The ceiling: a bare uWebSockets.js server (the very native binary Locus loads, through the
 * gateway's own loader) doing only the fan-out of the benchmark, without Redis, auth, validation,
 * distance checks or history: each socket subscribes to its friends' topics on open; a `loc` is
 * re-encoded as a `friend_loc` and published to the sender's topic; `seq` is acknowledged.
 *   node --import tsx uws-server.ts USERS FRIENDS   → prints "listening PORT"
 */
import { pack, unpack } from 'msgpackr';
// A path import on purpose: the gateway package exports no loader, and this must be the same binary.
import { uws } from '../../../../gateway/src/uws.js';
import { ringFriends } from './ring.js';

const users = Number(process.argv[2] ?? 2000);
const friends = Number(process.argv[3] ?? 10);
const topics = Array.from({ length: users }, (_, i) => `u${i}`);

interface Data {
  user: number;
}

const app = uws.App();
app.ws<Data>('/*', {
  compression: uws.DISABLED,
  maxPayloadLength: 16 * 1024,
  idleTimeout: 120,
  maxBackpressure: 1024 * 1024,
  upgrade: (res, req, context) => {
    const user = Number(new URLSearchParams(req.getQuery() ?? '').get('u'));
    res.upgrade<Data>(
      { user },
      req.getHeader('sec-websocket-key'),
      req.getHeader('sec-websocket-protocol'),
      req.getHeader('sec-websocket-extensions'),
      context,
    );
  },
  open: (ws) => {
    const { user } = ws.getUserData();
    for (const f of ringFriends(user, users, friends)) ws.subscribe(topics[f]!);
  },
  message: (ws, message) => {
    const { user } = ws.getUserData();
    const m = unpack(Buffer.from(message)) as { t: string; lat: number; lng: number; ts: number; seq?: number };
    if (m.t !== 'loc') return;
    app.publish(topics[user]!, pack({ t: 'friend_loc', user: String(user), lat: m.lat, lng: m.lng, ts: m.ts }), true);
    if (m.seq !== undefined) ws.send(pack({ t: 'ok', of: 'loc', seq: m.seq }), true);
  },
});
app.listen('127.0.0.1', 0, (token) => {
  if (!token) throw new Error('uws: listen failed');
  console.log(`listening ${uws.us_socket_local_port(token)}`);
});
process.on('SIGTERM', () => process.exit(0));
