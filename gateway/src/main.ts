import { loadConfigOrExit } from './config.js';
import { HelperThreadPriority } from './helper-priority.js';
import { createLogger } from './logger.js';
import { createGateway } from './server.js';

/** `npm start`: a gateway configured from the environment; SIGTERM/SIGINT drain, then exit 0. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel, config.instanceId);
  const gateway = createGateway(config, log);
  // The process's own helper threads yield to its event loop (only here: tests run gateways in-process).
  new HelperThreadPriority(config.helperNice).start();
  try {
    await gateway.start();
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
}

void main();
