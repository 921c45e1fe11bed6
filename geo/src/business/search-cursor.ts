import { createHash } from 'node:crypto';
import { LocusError } from '@locus/protocol';

/**
 * Paging cursor of a nearby search: the (distance, id) of the last result plus a digest of the query,
 * so a cursor cannot be replayed against a different query. Opaque base64url for clients.
 */
export interface CursorState {
  d: number;
  id: string;
}

export function queryDigest(parts: readonly (string | number | boolean | undefined)[]): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodeCursor(state: CursorState, digest: string): string {
  return Buffer.from(JSON.stringify({ d: state.d, id: state.id, q: digest })).toString('base64url');
}

export function decodeCursor(cursor: string, digest: string): CursorState {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new LocusError('BAD_REQUEST', 'cursor is not one this server returned', { field: 'cursor' });
  }
  const c = v as { d?: unknown; id?: unknown; q?: unknown } | null;
  if (!c || typeof c.d !== 'number' || !Number.isFinite(c.d) || typeof c.id !== 'string' || typeof c.q !== 'string') {
    throw new LocusError('BAD_REQUEST', 'cursor is not one this server returned', { field: 'cursor' });
  }
  if (c.q !== digest) throw new LocusError('BAD_REQUEST', 'cursor belongs to another query', { field: 'cursor' });
  return { d: c.d, id: c.id };
}
