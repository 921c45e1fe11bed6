/**
 * Stream ids are "<ms>-<seq>" like Redis's, so cursors look the same whichever engine made them and
 * the acceptance time can be read back from the id itself.
 */
export interface StreamId {
  ms: number;
  seq: number;
}

const STREAM_ID = /^(\d{1,16})-(\d{1,16})$/;

/** null when `id` is not a well-formed "<ms>-<seq>" (cursors come from clients: never trust them). */
export function parseStreamId(id: string): StreamId | null {
  const m = STREAM_ID.exec(id);
  if (m === null) return null;
  const ms = Number(m[1]);
  const seq = Number(m[2]);
  return Number.isSafeInteger(ms) && Number.isSafeInteger(seq) ? { ms, seq } : null;
}

/** Parses a cursor or throws a RangeError naming it (the same error from every engine). */
export function requireStreamId(id: string): StreamId {
  const parsed = parseStreamId(id);
  if (parsed === null) throw new RangeError(`invalid stream id ${JSON.stringify(id)}`);
  return parsed;
}

/** The ms part of an id, without allocating a StreamId (hot when mapping Redis range replies). */
export function streamIdMs(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash));
}
