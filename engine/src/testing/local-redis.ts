import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersAs, ensureRedisBinaries, freePorts, killOnExit } from '../redis-cluster/local-cluster.js';

/**
 * A standalone redis-server of a test's own, on a spare loopback port, that the test may kill and
 * restart (never the shared test Redis). Append-only file on, so a restart keeps the data like a
 * production Redis with persistence would.
 */
export class LocalRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<LocalRedis> {
    ensureRedisBinaries();
    // Below the ephemeral range: the port stays free while the server is down between kill and restart.
    const [port] = (await freePorts(1)) as [number];
    const redis = new LocalRedis(port, mkdtempSync(join(tmpdir(), 'locus-redis-')));
    await redis.restart();
    return redis;
  }

  /** The server's pid (undefined while killed). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts the server (again) on the same port and data dir; resolves once it answers as this process
   * (not a stranger that took the port).
   */
  async restart(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    child.on('error', () => {});
    killOnExit(child);
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (child.pid === undefined || !(await answersAs(this.port, child.pid))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server on ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL (no goodbye to clients) and wait for the exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
