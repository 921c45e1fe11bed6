/**
 * What the root vitest globalSetup (scripts/test-redis-setup.ts) provides to every test file.
 * Declared here, next to its consumers, so the engine package type-checks on its own.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis every Redis-backed test of this run uses (never FLUSH it: it may be shared). */
    redisUrl: string;
  }
}

export {};
