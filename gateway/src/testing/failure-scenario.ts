import WebSocket from 'ws';
import { befriend, connectUser, MONACO, move, NEAR, uniqueUser, type Side } from './presence-scenarios.js';
import type { TestClient } from './test-client.js';

/** Friends on two gateways: `watcher` (side 1) sees `mover` (side 2). */
export interface FriendPair {
  watcher: TestClient;
  mover: TestClient;
  watcherId: string;
  moverId: string;
}

export async function friendPairs(s1: Side, s2: Side, count: number): Promise<FriendPair[]> {
  const pairs: FriendPair[] = [];
  for (let i = 0; i < count; i++) {
    const [watcherId, moverId] = [uniqueUser(`w${i}`), uniqueUser(`m${i}`)];
    const watcher = await connectUser(s1, watcherId);
    const mover = await connectUser(s2, moverId);
    await befriend(watcher, watcherId, mover, moverId);
    await move(watcher, MONACO);
    pairs.push({ watcher, mover, watcherId, moverId });
  }
  return pairs;
}

/** true when no client's socket closed (a failure test's "no connection lost"). */
export function allOpen(pairs: readonly FriendPair[]): boolean {
  return pairs.every((p) => p.watcher.ws.readyState === WebSocket.OPEN && p.mover.ws.readyState === WebSocket.OPEN);
}

/**
 * Every mover moves every `intervalMs` (a new latitude each time, requests that fail during an
 * outage are ignored) until each watcher has received a move sent after `since`. Resolves with the
 * time (ms since the epoch) by which the last pair got one; rejects after `timeoutMs`.
 */
export async function deliveriesResumed(pairs: readonly FriendPair[], since: number, timeoutMs: number, intervalMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const sentAfter = new Map<FriendPair, Set<number>>(pairs.map((p) => [p, new Set<number>()]));
  const resumed = new Set<FriendPair>();
  let k = 0;
  while (Date.now() < deadline) {
    k++;
    for (const p of pairs) {
      if (resumed.has(p)) continue;
      const lat = NEAR.lat + (k % 1000) * 1e-6 + Math.random() * 1e-9;
      if (Date.now() >= since) sentAfter.get(p)!.add(lat);
      move(p.mover, { lat, lng: NEAR.lng }).catch(() => {});
    }
    await new Promise((r) => setTimeout(r, intervalMs));
    for (const p of pairs) {
      if (resumed.has(p)) continue;
      const wanted = sentAfter.get(p)!;
      if (p.watcher.all('friend_loc').some((m) => m.user === p.moverId && wanted.has(m.lat))) resumed.add(p);
    }
    if (resumed.size === pairs.length) return Date.now();
  }
  throw new Error(`deliveries resumed for ${resumed.size}/${pairs.length} pairs within ${timeoutMs} ms`);
}

/**
 * Samples GET /readyz every `intervalMs` until stopped: what a load balancer would have seen. A
 * sample's `at` is when the answer arrived (a probe started while Redis was away may succeed once
 * it is back, within the probe's timeout).
 */
export class ReadinessLog {
  readonly samples: { at: number; status: number }[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly http: string,
    intervalMs = 100,
  ) {
    this.loop = (async () => {
      while (this.running) {
        const status = await fetch(`${this.http}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.status,
          () => 0,
        );
        this.samples.push({ at: Date.now(), status });
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** First sample at or after `from` with this status. */
  first(status: number, from = 0): number | undefined {
    return this.samples.find((s) => s.at >= from && s.status === status)?.at;
  }
}
