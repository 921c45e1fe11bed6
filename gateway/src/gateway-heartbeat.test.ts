import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from './testing/test-gateway.js';

/**
 * Heartbeat: uWS pings every connection that has been quiet, and closes one from which nothing at
 * all arrived within the idle timeout. A client that answers pings (every WebSocket stack does)
 * stays connected while silent; a dead peer is dropped. 8 s is the shortest timeout uWS allows.
 */
describe('heartbeat and idle timeout', () => {
  let t: Awaited<ReturnType<typeof startTestGateway>>;
  beforeAll(async () => {
    t = await startTestGateway({ LOCUS_IDLE_TIMEOUT_SEC: '8' });
  });
  afterAll(() => t.stop());

  const open = (user: string, autoPong: boolean) =>
    new Promise<{ ws: WebSocket; pings: () => number; closed: Promise<number> }>((resolve, reject) => {
      const ws = new WebSocket(t.url, { headers: { authorization: `Bearer ${t.token(user)}` }, autoPong });
      let pings = 0;
      ws.on('ping', () => pings++);
      const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
      ws.once('open', () => resolve({ ws, pings: () => pings, closed }));
      ws.once('error', reject);
    });

  it('keeps a silent client that answers pings, drops one that does not', async () => {
    const alive = await open('alive', true);
    const dead = await open('dead', false);
    const code = await dead.closed;
    expect(code).toBe(1006);
    expect(dead.pings()).toBeGreaterThan(0);
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(alive.pings()).toBeGreaterThan(0);
    alive.ws.close();
  }, 30_000);
});
