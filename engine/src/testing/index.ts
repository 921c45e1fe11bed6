/** Test helpers (they import vitest: never re-export them from the package's main entry). */
export { testRedisUrl } from './redis-url.js';
export { uniquePrefix } from './unique-prefix.js';
export { deleteKeysWithPrefix } from './delete-keys.js';
export { TcpProxy } from './tcp-proxy.js';
export { testCluster, deleteClusterKeysWithPrefix, type TestCluster } from './cluster.js';
export { LocalCluster } from '../redis-cluster/local-cluster.js';
export { LocalRedis } from './local-redis.js';
