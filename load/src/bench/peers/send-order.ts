import { Rng } from '@locus/routing';

/**
 * 'ring': user after user along the ring, so a user's friends (its neighbours) send one after another
 * and their updates reach it together: the best case for a server that batches a socket's messages.
 * 'shuffled': the same users in a fixed random order (the same for every stack), so friends' updates
 * arrive apart, as independent movers' do.
 */
export type SendOrder = 'ring' | 'shuffled';

/** 0..n-1, or a permutation of it drawn from `seed` (Rng, mulberry32), so every stack gets the same one. */
export function sendOrder(n: number, kind: SendOrder, seed: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  if (kind === 'ring') return out;
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const x = out[i]!;
    out[i] = out[j]!;
    out[j] = x;
  }
  return out;
}
