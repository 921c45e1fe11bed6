import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** What a worker tells its supervisor once it accepts connections. */
export interface WorkerListening {
  kind: 'listening';
  port: number;
}

export function isWorkerListening(m: unknown): m is WorkerListening {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'listening' && typeof (m as { port?: unknown }).port === 'number';
}

/** A worker that dies is started again, unless this many restarts happened within RESTART_WINDOW_MS: then the gateway gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;

/**
 * LOCUS_WORKERS=N: one gateway made of N processes on one port. Each worker is a whole gateway
 * (its own event loop, connections and engine client); uWS listens with SO_REUSEPORT, so the kernel
 * spreads new connections over the workers, and the shared engine (redis, redis-cluster) carries
 * friend updates between them exactly as between gateways on different hosts.
 *
 * Why processes: a process's connections are bounded by its open-files limit (RLIMIT_NOFILE, one
 * descriptor per socket), which operators cannot always raise, and by the one core its event loop
 * runs on. N workers hold N times the connections and use N cores.
 *
 * Worker 0 starts first, alone: on an empty engine it seeds the businesses and builds missing routing
 * tiles, which the others then find done. LOCUS_PORT=0 (tests) is turned into a free port first:
 * uSockets sets SO_REUSEPORT only on a socket bound to a given port.
 */
export class WorkerSupervisor {
  private readonly children: (ChildProcess | null)[];
  private readonly restarts: number[] = [];
  private port: number;
  private stopping = false;
  /** While starting, a worker that dies fails the start instead of being restarted. */
  private starting = false;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly script: string,
  ) {
    this.children = new Array<ChildProcess | null>(config.workers).fill(null);
    this.port = config.port;
  }

  /** Start every worker; resolves with the shared port once all listen, rejects when one exits first. */
  async start(): Promise<number> {
    this.starting = true;
    try {
      if (this.port === 0) this.port = await freePort(this.config.host);
      this.port = await this.spawn(0);
      await Promise.all(this.children.slice(1).map((_, i) => this.spawn(i + 1)));
    } finally {
      this.starting = false;
    }
    this.log.info({ port: this.port, workers: this.config.workers }, 'locus gateway listening');
    return this.port;
  }

  /** SIGTERM every worker (each drains its connections) and wait for all to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  }

  private spawn(index: number): Promise<number> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOCUS_WORKER_INDEX: String(index),
      LOCUS_PORT: String(this.port),
      LOCUS_INSTANCE_ID: `${this.config.instanceId}-w${index}`,
    };
    // One simulated fleet per gateway, not one per worker.
    if (index > 0) env.LOCUS_DEMO_SIM = 'off';
    const child = fork(this.script, [], { env, execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.children[index] = child;
    return new Promise<number>((resolve, reject) => {
      let listening = false;
      child.on('message', (m) => {
        if (listening || !isWorkerListening(m)) return;
        listening = true;
        resolve(m.port);
      });
      child.once('exit', (code, signal) => {
        if (this.children[index] === child) this.children[index] = null;
        if (!listening) reject(new Error(`worker ${index} exited (${signal ?? code}) before listening`));
        if (this.stopping || this.starting) return;
        this.log.error({ worker: index, code, signal }, 'worker exited');
        this.restart(index);
      });
    });
  }

  private restart(index: number): void {
    const now = Date.now();
    while (this.restarts.length > 0 && this.restarts[0]! < now - RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS) {
      this.log.fatal({ worker: index }, `a worker died after ${MAX_RESTARTS} restarts within ${RESTART_WINDOW_MS / 1000} s: giving up`);
      void this.stop().then(() => process.exit(1));
      return;
    }
    this.restarts.push(now);
    // Not unref'd: with every worker dead, this timer is what keeps the supervisor alive.
    setTimeout(() => {
      if (this.stopping) return;
      // A restart that dies before listening goes through the exit handler again, so it counts.
      this.spawn(index).then(
        () => this.log.info({ worker: index }, 'worker restarted'),
        () => undefined,
      );
    }, RESTART_DELAY_MS);
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
