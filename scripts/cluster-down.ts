/** `npm run cluster:down`: stops the cluster `npm run cluster:up` started and removes its data. */
import { CLUSTER_STATE_FILE, LocalCluster, readClusterState, removeClusterState } from '../engine/src/redis-cluster/local-cluster.js';

const state = readClusterState();
if (state === undefined) {
  console.log(`no cluster recorded in ${CLUSTER_STATE_FILE}`);
  process.exit(0);
}
await LocalCluster.fromState(state).stop();
removeClusterState();
console.log(`stopped ${state.nodes.length} nodes (${state.nodes.map((n) => n.port).join(', ')})`);
