/**
 * The CSR indexes of a graph whose edge ids are already sorted by source: firstOut by counting edges
 * per source, and the reverse index (edges entering each node) by a counting sort on targets.
 */
export function csrIndexes(nodeCount: number, edgeSource: Uint32Array, edgeTarget: Uint32Array): { firstOut: Uint32Array; firstIn: Uint32Array; inEdges: Uint32Array } {
  const m = edgeSource.length;
  const firstOut = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) firstOut[edgeSource[e]! + 1]!++;
  for (let i = 0; i < nodeCount; i++) firstOut[i + 1]! += firstOut[i]!;
  const firstIn = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) firstIn[edgeTarget[e]! + 1]!++;
  for (let i = 0; i < nodeCount; i++) firstIn[i + 1]! += firstIn[i]!;
  const fill = firstIn.slice(0, nodeCount);
  const inEdges = new Uint32Array(m);
  for (let e = 0; e < m; e++) inEdges[fill[edgeTarget[e]!]!++] = e;
  return { firstOut, firstIn, inEdges };
}
