import { Redis } from 'ioredis';
import { LocalCluster } from '../redis-cluster/local-cluster.js';

export interface TestCluster {
  cluster: LocalCluster;
  /** true when this test run started it (then `release` stops it); false when reusing cluster:up's. */
  owned: boolean;
  release(): Promise<void>;
}

/**
 * The cluster a test file uses: the one `npm run cluster:up` left running when it is healthy (shared:
 * use unique prefixes, never flush, never kill its nodes), else a private one stopped by release().
 * Tests that kill nodes pass `{ own: true }`.
 */
export async function testCluster(options: { own?: boolean } = {}): Promise<TestCluster> {
  if (options.own !== true) {
    const running = await LocalCluster.attach();
    if (running !== undefined) return { cluster: running, owned: false, release: async () => {} };
  }
  const cluster = await LocalCluster.start();
  return { cluster, owned: true, release: () => cluster.stop() };
}

/** Deletes `<prefix>*` on every master (SCAN per node, UNLINK key by key: keys of one call must share a slot). */
export async function deleteClusterKeysWithPrefix(cluster: LocalCluster, prefix: string): Promise<number> {
  if (/[*?[\]\\]/.test(prefix)) throw new Error(`prefix ${JSON.stringify(prefix)} contains glob characters`);
  let deleted = 0;
  for (const port of await cluster.masters()) {
    const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        const replies = await Promise.all(found.map((key) => redis.unlink(key)));
        for (const n of replies) deleted += n;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  return deleted;
}
