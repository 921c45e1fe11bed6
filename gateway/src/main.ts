import { fileURLToPath } from 'node:url';
import { loadConfigOrExit, type Config } from './config.js';
import { HelperThreadPriority } from './helper-priority.js';
import { createLogger, type Logger } from './logger.js';
import { missingNodeFlags } from './node-flags.js';
import { createGateway } from './server.js';
import { WorkerSupervisor, type WorkerListening } from './workers.js';

/** `npm start`: a gateway configured from the environment; SIGTERM/SIGINT drain, then exit 0. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, config.instanceId, config.worker);
  // Said once, by the process that was started (workers inherit its options).
  const missing = config.worker === null ? missingNodeFlags(process.execArgv, process.env.NODE_OPTIONS) : [];
  if (missing.length > 0) log.warn({ missing }, 'started without the Node options a gateway is tuned for (see gateway/src/node-flags.ts): it works, with less headroom under load');
  if (config.workers > 1 && config.worker === null) return supervise(config, log);
  const gateway = createGateway(config, log);
  // The process's own helper threads yield to its event loop (only here: tests run gateways in-process).
  new HelperThreadPriority(config.helperNice).start();
  let port: number;
  try {
    port = await gateway.start();
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'start-up failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received: draining');
    gateway.drain().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'drain failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (config.worker !== null && process.send) {
    process.send({ kind: 'listening', port } satisfies WorkerListening);
    // The supervisor is gone (killed outright): nobody would stop or restart this worker.
    process.on('disconnect', () => stop('supervisor gone'));
  }
}

/** LOCUS_WORKERS > 1: this process only starts, restarts and stops the workers (workers.ts). */
async function supervise(config: Config, log: Logger): Promise<void> {
  const supervisor = new WorkerSupervisor(config, log, fileURLToPath(import.meta.url));
  let stopping = false;
  const stop = (signal: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping workers');
    void supervisor.stop().then(() => process.exit(code));
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  try {
    await supervisor.start();
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'start-up failed');
    stop('start-up failed', 1);
  }
}

void main();
