import WebSocket from 'ws';
import type { Logger } from '../logger.js';
import { SimPath } from './sim-path.js';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface SimulatorOptions {
  /** Gateway base URLs: the simulator is an ordinary client of the public API and the socket. */
  http: string;
  ws: string;
  cars: readonly string[];
  tokenFor(user: string): string;
  /** Points to drive between (POIs of the extract): each trip goes to one picked at random. */
  destinations: readonly LatLng[];
  tickMs: number;
  log: Logger;
  random?: () => number;
}

/** Driving speed bounds (m/s): the route's own average, kept within what reads as a car on a map. */
const MIN_SPEED = 6;
const MAX_SPEED = 20;
const RECONNECT_MS = 2000;

interface RouteAnswer {
  routes?: { distance: number; duration: number; geometry: { coordinates: [number, number][] } }[];
}

/**
 * One simulated friend: a socket that accepts every friend request (the demo viewers ask) and
 * reports a position each tick while driving routes from GET /v1/route between random destinations.
 */
class SimCar {
  private ws: WebSocket | null = null;
  private path: SimPath | null = null;
  private travelled = 0;
  private speed = 10;
  private planning = false;
  private stopped = false;
  private reconnect: NodeJS.Timeout | undefined;
  pos: LatLng;

  constructor(
    readonly user: string,
    private readonly opts: SimulatorOptions,
    start: LatLng,
  ) {
    this.pos = start;
  }

  connect(): void {
    if (this.stopped) return;
    const url = `${this.opts.ws}?format=json&token=${encodeURIComponent(this.opts.tokenFor(this.user))}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      if (!this.stopped) this.reconnect = setTimeout(() => this.connect(), RECONNECT_MS);
    });
  }

  private onMessage(text: string): void {
    let msg: { t?: string; kind?: string; user?: string; code?: string; message?: string; incoming?: string[] };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.t === 'friend_event' && msg.kind === 'requested' && msg.user) this.send({ t: 'friend_accept', user: msg.user });
    // Requests sent while this car was offline are waiting in its incoming list.
    else if (msg.t === 'welcome') this.send({ t: 'friends' });
    else if (msg.t === 'friends') for (const user of msg.incoming ?? []) this.send({ t: 'friend_accept', user });
    else if (msg.t === 'error') this.opts.log.debug({ car: this.user, code: msg.code, message: msg.message }, 'demo car got an error');
  }

  private send(msg: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  tick(dtSec: number, now: number): void {
    if (this.path) {
      this.travelled += this.speed * dtSec;
      this.pos = this.path.at(this.travelled);
      if (this.travelled >= this.path.length) this.path = null;
    } else if (!this.planning) {
      void this.plan();
    }
    this.send({ t: 'loc', lat: this.pos.lat, lng: this.pos.lng, ts: now });
  }

  private async plan(): Promise<void> {
    const { destinations, random = Math.random } = this.opts;
    const to = destinations[Math.floor(random() * destinations.length)];
    if (!to) return;
    this.planning = true;
    try {
      const q = `from=${this.pos.lat},${this.pos.lng}&to=${to.lat},${to.lng}`;
      const res = await fetch(`${this.opts.http}/v1/route?${q}`);
      if (!res.ok) return; // OFF_MAP / NO_ROUTE: another destination next tick
      const route = ((await res.json()) as RouteAnswer).routes?.[0];
      if (!route || route.geometry.coordinates.length < 2 || this.stopped) return;
      this.path = new SimPath(route.geometry.coordinates);
      this.travelled = 0;
      this.speed = Math.min(MAX_SPEED, Math.max(MIN_SPEED, route.duration > 0 ? route.distance / route.duration : MIN_SPEED));
    } catch (err) {
      this.opts.log.debug({ car: this.user, err: (err as Error).message }, 'demo car could not plan a route');
    } finally {
      this.planning = false;
    }
  }

  /** Closes the socket; resolves once it is closed (or after `waitMs`). */
  stop(waitMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    const ws = this.ws;
    this.ws = null;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.close(1000, 'demo simulator stopped');
    });
  }
}

/**
 * DEMO ONLY (LOCUS_DEMO_SIM=on): a few simulated friends driving around the map, so the browser demo
 * has something live to show. They go through the same socket and API as any client.
 */
export class DemoSimulator {
  readonly cars: SimCar[];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly opts: SimulatorOptions) {
    const random = opts.random ?? Math.random;
    this.cars = opts.cars.map((user) => new SimCar(user, opts, opts.destinations[Math.floor(random() * opts.destinations.length)] ?? { lat: 0, lng: 0 }));
  }

  start(): void {
    if (this.opts.destinations.length === 0) {
      this.opts.log.warn('demo simulator: no destinations (no OSM extract): not started');
      return;
    }
    for (const car of this.cars) car.connect();
    this.last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const dt = (now - this.last) / 1000;
      this.last = now;
      for (const car of this.cars) car.tick(dt, now);
    }, this.opts.tickMs);
    this.timer.unref();
    this.opts.log.info({ cars: this.opts.cars.length, tickMs: this.opts.tickMs }, 'demo simulator driving');
  }

  /** Stops driving and closes every car's socket (a drain then has no simulated connections to spread). */
  async stop(waitMs = 1000): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.cars.map((car) => car.stop(waitMs)));
  }
}
