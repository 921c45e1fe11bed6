import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { GATEWAY_NODE_FLAGS } from '../node-flags.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  port: number;
  url: string;
  http: string;
  /** JSON log lines seen so far. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Start `gateway/src/main.ts` as a real process on a free port and wait until it listens (at most
 * `startTimeoutMs`: a gateway building routing tiles on a loaded machine needs more than the default).
 * It gets the Node options of `npm start` (`nodeFlags`, GATEWAY_NODE_FLAGS unless a test says
 * otherwise); `nodeArgs` come after them.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  startTimeoutMs = 20_000,
  nodeFlags: readonly string[] = GATEWAY_NODE_FLAGS,
): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...nodeFlags, ...nodeArgs, '--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOCUS_HOST: '127.0.0.1', LOCUS_PORT: '0', LOCUS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        // With LOCUS_WORKERS, each worker logs its own listening (with `worker`) before the supervisor's.
        if (entry.msg === 'locus gateway listening' && entry.worker === undefined) {
          clearTimeout(timer);
          resolve(entry.port as number);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before listening: ${stderr}`));
    });
  });
  return {
    child,
    port,
    url: `ws://127.0.0.1:${port}/v1/ws`,
    http: `http://127.0.0.1:${port}`,
    logs,
    exited,
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
