import { createEngine, type Engine } from '@locus/engine';
import { deleteKeysWithPrefix, testRedisUrl, uniquePrefix } from '@locus/engine/testing';

/** Test helper: the data several gateways share, on each engine the presence suites run against. */
export interface World {
  /** The engine of one more gateway: its own connection, sharing the world's data. */
  engine(): Promise<Engine>;
  close(): Promise<void>;
}

/** One memory engine is one world: the gateways (hubs) share it. */
function memoryWorld(): World {
  const shared = createEngine({ kind: 'memory' });
  return {
    engine: async () => {
      await shared.connect();
      return shared;
    },
    close: () => shared.close(),
  };
}

/** The shared Redis under a unique key prefix. */
function redisWorld(): World {
  const prefix = uniquePrefix();
  const opened: Engine[] = [];
  return {
    engine: async () => {
      const e = createEngine({ kind: 'redis', url: testRedisUrl(), prefix });
      await e.connect();
      opened.push(e);
      return e;
    },
    close: async () => {
      await Promise.all(opened.map((e) => e.close()));
      await deleteKeysWithPrefix(testRedisUrl(), prefix);
    },
  };
}

export const TEST_WORLDS: readonly (readonly [string, () => World])[] = [
  ['memory', memoryWorld],
  ['redis', redisWorld],
];
