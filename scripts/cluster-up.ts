/**
 * `npm run cluster:up`: a Redis Cluster on loopback (3 masters + 3 replicas, spare ports, data in a
 * temp dir) that outlives this command. Prints LOCUS_REDIS_CLUSTER_NODES for a gateway; the cluster
 * tests reuse it instead of starting their own. `npm run cluster:down` stops it.
 */
import { CLUSTER_STATE_FILE, LocalCluster, writeClusterState } from '../engine/src/redis-cluster/local-cluster.js';

const running = await LocalCluster.attach();
if (running !== undefined) {
  console.log(`cluster already running (${CLUSTER_STATE_FILE})`);
  console.log(`LOCUS_REDIS_CLUSTER_NODES=${running.nodesEnv}`);
  process.exit(0);
}
const cluster = await LocalCluster.start({ detached: true });
writeClusterState(cluster);
const roles = await cluster.roles();
for (const r of roles.sort((a, b) => a.port - b.port)) {
  console.log(`${r.role.padEnd(7)} 127.0.0.1:${r.port}${r.masterPort === undefined ? '' : ` (replica of ${r.masterPort})`}`);
}
console.log(`data and logs in ${cluster.dir}; state in ${CLUSTER_STATE_FILE}`);
console.log(`LOCUS_ENGINE=redis-cluster LOCUS_REDIS_CLUSTER_NODES=${cluster.nodesEnv}`);
