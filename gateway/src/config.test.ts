import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded memory engine with the development secret', () => {
    const c = loadConfig({});
    expect(c.engine).toEqual({ kind: 'memory' });
    expect(c.port).toBe(8080);
    expect(c.jwt).toMatchObject({ devSecret: true, secret: DEV_JWT_SECRET });
    expect(c.presence.locationTtlMs).toBe(600_000);
    expect(c.presence.defaultRadiusM).toBe(8000);
  });

  it.each([
    ['LOCUS_PORT', 'eighty'],
    ['LOCUS_PORT', '70000'],
    ['LOCUS_ENGINE', 'mongo'],
    ['LOCUS_REDIS_URL', 'http://x'],
    ['LOCUS_JWT_SECRET', 'short'],
    ['LOCUS_RATE_PER_SEC', '-1'],
    ['LOCUS_LOG_LEVEL', 'loud'],
    ['LOCUS_REDIS_WRITE_WINDOW_MS', '-1'],
    ['LOCUS_REDIS_WRITE_WINDOW_MS', '51'],
    ['LOCUS_HELPER_NICE', '20'],
    ['LOCUS_HELPER_NICE', '-1'],
    ['LOCUS_JWT_PUBLIC_KEY', 'not a pem'],
    ['LOCUS_JWT_PUBLIC_KEY_FILE', '/nonexistent/key.pem'],
  ])('names the bad variable %s=%s', (name, value) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as Error).message).toContain(name);
  });

  it('the redis engine batches its writes within 1 ms unless told otherwise', () => {
    expect(loadConfig({ LOCUS_ENGINE: 'redis' }).engine).toEqual({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'locus:', writeWindowMs: 1 });
    expect(loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_REDIS_WRITE_WINDOW_MS: '0' }).engine).toMatchObject({ writeWindowMs: 0 });
  });

  it('runs helper threads at nice 19 unless told otherwise (0: off)', () => {
    expect(loadConfig({}).helperNice).toBe(19);
    expect(loadConfig({ LOCUS_HELPER_NICE: '0' }).helperNice).toBe(0);
  });

  it('runs one process unless told otherwise; more than one needs a shared engine', () => {
    expect(loadConfig({})).toMatchObject({ workers: 1, worker: null, workerPortBase: 0 });
    expect(loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_WORKERS: '4', LOCUS_WORKER_PORT_BASE: '9100' })).toMatchObject({ workers: 4, workerPortBase: 9100 });
    expect(loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_WORKERS: '4', LOCUS_WORKER_INDEX: '2' }).worker).toBe(2);
    for (const env of [{ LOCUS_WORKERS: '2' }, { LOCUS_WORKERS: '0' }, { LOCUS_WORKERS: '65' }, { LOCUS_ENGINE: 'redis', LOCUS_WORKERS: 'two' }]) {
      expect(() => loadConfig(env)).toThrow(/LOCUS_WORKERS/);
    }
    expect(() => loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_WORKERS: '4', LOCUS_WORKER_PORT_BASE: '65534' })).toThrow(/LOCUS_WORKER_PORT_BASE/);
    expect(loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_WORKERS: 'auto' }).workers).toBe(Math.min(64, availableParallelism()));
  });

  it('refuses the development secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LOCUS_JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', LOCUS_JWT_SECRET: 'x'.repeat(32) }).jwt.devSecret).toBe(false);
  });

  it('checks that the hard backpressure limit is above the soft one', () => {
    expect(() => loadConfig({ LOCUS_BACKPRESSURE_SOFT_BYTES: '9000', LOCUS_BACKPRESSURE_HARD_BYTES: '8000' })).toThrow(
      /LOCUS_BACKPRESSURE_HARD_BYTES/,
    );
  });
});
