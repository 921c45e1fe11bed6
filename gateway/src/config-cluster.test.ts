import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig: LOCUS_ENGINE=redis-cluster', () => {
  const cluster = (env: Record<string, string>) => loadConfig({ LOCUS_ENGINE: 'redis-cluster', ...env });
  const failure = (env: Record<string, string>): ConfigError => {
    try {
      cluster(env);
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('no ConfigError');
  };

  it('parses the node list (host:port, spaces and IPv6 brackets allowed) with the prefix', () => {
    expect(cluster({ LOCUS_REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001,[::1]:7002', LOCUS_REDIS_PREFIX: 'p:' }).engine).toEqual({
      kind: 'redis-cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      prefix: 'p:',
      writeWindowMs: 1,
    });
    expect(cluster({ LOCUS_REDIS_CLUSTER_NODES: 'a:7000', LOCUS_REDIS_WRITE_WINDOW_MS: '0' }).engine).toMatchObject({ writeWindowMs: 0 });
  });

  it.each([
    [{}, /required with LOCUS_ENGINE=redis-cluster/],
    [{ LOCUS_REDIS_CLUSTER_NODES: ' , ' }, /at least one host:port/],
    [{ LOCUS_REDIS_CLUSTER_NODES: '127.0.0.1' }, /not a host:port: "127.0.0.1"/],
    [{ LOCUS_REDIS_CLUSTER_NODES: '127.0.0.1:7000,h:99999' }, /not a host:port: "h:99999"/],
    [{ LOCUS_REDIS_CLUSTER_NODES: 'redis://h:7000' }, /not a host:port/],
  ])('names LOCUS_REDIS_CLUSTER_NODES when it is bad: %j', (env, message) => {
    const err = failure(env);
    expect(err.variable).toBe('LOCUS_REDIS_CLUSTER_NODES');
    expect(err.message).toMatch(message);
  });

  it('refuses a prefix with braces (it would put every key in one slot)', () => {
    const err = failure({ LOCUS_REDIS_CLUSTER_NODES: 'h:7000', LOCUS_REDIS_PREFIX: '{locus}:' });
    expect(err.variable).toBe('LOCUS_REDIS_PREFIX');
  });

  it('ignores the cluster variables for other engines', () => {
    expect(loadConfig({ LOCUS_ENGINE: 'redis', LOCUS_REDIS_CLUSTER_NODES: 'garbage' }).engine.kind).toBe('redis');
  });
});
