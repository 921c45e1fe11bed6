import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout, one object per line; a worker's lines carry its index (workers.ts). */
export function createLogger(level: string, instance: string, worker: number | null = null): Logger {
  return pino({ level, base: worker === null ? { instance } : { instance, worker, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
