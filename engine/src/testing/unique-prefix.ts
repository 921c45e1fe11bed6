import { randomBytes } from 'node:crypto';

/**
 * A key/channel prefix no other test run (or developer data) shares, e.g. `locus-test:1f2e3d4c5b6a:`.
 * Tests on a shared Redis use it instead of flushing, and delete `<prefix>*` when done.
 */
export function uniquePrefix(label = 'locus-test'): string {
  return `${label}:${randomBytes(6).toString('hex')}:`;
}
