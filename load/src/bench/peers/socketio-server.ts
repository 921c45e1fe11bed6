/**
 * The peer stack: Socket.IO 4 with @socket.io/redis-adapter (ioredis), the usual way to run Socket.IO
 * on several nodes. Each user's socket joins the rooms of its friends (a room per user); a `loc`
 * event is emitted to the sender's room as `friend_loc` (through the adapter, i.e. Redis) and
 * acknowledged. WebSocket transport only, no compression, JSON (Socket.IO's default parser).
 *   node --import tsx socketio-server.ts USERS FRIENDS REDIS_URL KEY_PREFIX   → prints "listening PORT"
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { ringFriends } from './ring.js';

const users = Number(process.argv[2] ?? 2000);
const friends = Number(process.argv[3] ?? 10);
const redisUrl = process.argv[4] ?? 'redis://127.0.0.1:6379';
const key = process.argv[5] ?? `locus-bench-sio-${process.pid}`;

const pub = new Redis(redisUrl);
const sub = pub.duplicate();
const http = createServer();
const io = new Server(http, {
  adapter: createAdapter(pub, sub, { key }),
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 16 * 1024,
});

interface Loc {
  lat: number;
  lng: number;
  ts: number;
  seq?: number;
}

io.on('connection', (socket) => {
  const user = Number((socket.handshake.auth as { user?: unknown }).user);
  void socket.join(ringFriends(user, users, friends).map((f) => `u${f}`));
  const room = `u${user}`;
  const id = String(user);
  socket.on('loc', (m: Loc, ack?: (seq: number | undefined) => void) => {
    io.to(room).emit('friend_loc', { user: id, lat: m.lat, lng: m.lng, ts: m.ts });
    ack?.(m.seq);
  });
});
http.listen(0, '127.0.0.1', () => console.log(`listening ${(http.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  void io.close();
  pub.disconnect();
  sub.disconnect();
  process.exit(0);
});
