import { inject } from 'vitest';
import type {} from './provided-context.js';

/**
 * The Redis URL chosen by the root globalSetup for this test run. Falls back to the environment
 * variable the setup also sets, for runs under a config without the setup.
 */
export function testRedisUrl(): string {
  const url = inject('redisUrl') ?? process.env.LOCUS_TEST_REDIS_URL;
  if (url === undefined || url === '') {
    throw new Error('no test Redis: run vitest from the repository root (scripts/test-redis-setup.ts) or set LOCUS_TEST_REDIS_URL');
  }
  return url;
}
