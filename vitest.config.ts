import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/src/**/*.test.ts'],
    // Decides (or starts) the Redis every Redis-backed test of the run uses: see the script.
    globalSetup: ['./scripts/test-redis-setup.ts'],
    // Generous: Redis tests wait for reconnects and TTL expiry.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Processes, not worker threads: native addons (uWebSockets.js) and process-wide state stay isolated.
    pool: 'forks',
  },
});
