import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { LeanSocket } from './lean-socket.js';

/** The bench client against the `ws` server on loopback: handshake, both message kinds, pings, close. */
describe('LeanSocket', () => {
  let wss: WebSocketServer;
  let url: string;
  const server: { ws: WebSocket | null; got: { data: string; isBinary: boolean }[]; headers: Record<string, unknown> } = { ws: null, got: [], headers: {} };
  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/path?x=1`;
    wss.on('connection', (ws, req) => {
      server.ws = ws;
      server.headers = { ...req.headers, url: req.url };
      // A first message sent at once can arrive with the handshake: `listen` must still see it.
      ws.send('hello');
      ws.on('message', (d, isBinary) => server.got.push({ data: isBinary ? (d as Buffer).toString('hex') : d.toString(), isBinary }));
    });
  });
  afterAll(() => new Promise<void>((r) => wss.close(() => r())));

  it('upgrades with the given headers, exchanges text and binary, answers pings', async () => {
    const sock = await LeanSocket.connect(url, { headers: { authorization: 'Bearer t' } });
    const got: { data: string; isBinary: boolean }[] = [];
    sock.listen((d, isBinary) => got.push({ data: isBinary ? d.toString('hex') : d.toString(), isBinary }));
    expect(server.headers).toMatchObject({ authorization: 'Bearer t', url: '/path?x=1' });
    sock.send('abc', false);
    sock.send(Buffer.from([1, 2, 3]), true);
    sock.send(Buffer.alloc(70_000, 7), true);
    const pong = new Promise<Buffer>((r) => server.ws!.once('pong', r));
    server.ws!.ping(Buffer.from('p1'));
    server.ws!.send(Buffer.from([9, 8]));
    server.ws!.send('x'.repeat(200));
    expect((await pong).toString()).toBe('p1');
    await until(() => got.length === 3 && server.got.length === 3);
    expect(got).toEqual([
      { data: 'hello', isBinary: false },
      { data: '0908', isBinary: true },
      { data: 'x'.repeat(200), isBinary: false },
    ]);
    expect(server.got.slice(0, 2)).toEqual([
      { data: 'abc', isBinary: false },
      { data: '010203', isBinary: true },
    ]);
    expect(server.got[2]!.data).toBe('07'.repeat(70_000));
    const closed = new Promise<number>((r) => server.ws!.once('close', (code) => r(code)));
    server.ws!.close(1000);
    expect(await closed).toBe(1000);
    await until(() => !sock.isOpen);
  });

  it('fails the connect on a refused upgrade', async () => {
    await expect(LeanSocket.connect('ws://127.0.0.1:1/', { timeoutMs: 2000 })).rejects.toThrow();
    const http = await import('node:http');
    const plain = http.createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const port = (plain.address() as AddressInfo).port;
    await expect(LeanSocket.connect(`ws://127.0.0.1:${port}/`)).rejects.toThrow(/HTTP 401/);
    plain.close();
  });
});

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
