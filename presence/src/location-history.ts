import { keys, parseStreamId, type Engine, type StreamAppendOptions } from '@locus/engine';
import { LocusError } from '@locus/protocol';
import { decodeStoredLocation, type StoredLocation } from './stored-location.js';

export interface HistoryPage {
  items: StoredLocation[];
  /** Cursor for the next page, absent on the last page. */
  next?: string;
}

/**
 * Every accepted update, per user, trimmed by time (and bounded in count). Ranges are by acceptance
 * time (`at`): the engine's stream ids are acceptance-ordered, which keeps replays of an offline
 * buffer (old `ts`, new `at`) from being rejected or reordered. Each item also carries its device `ts`.
 */
export class LocationHistory {
  /** How every append trims the stream (also what Presence passes to Engine.record). */
  readonly options: StreamAppendOptions;

  constructor(
    private readonly engine: Engine,
    retentionMs: number,
    maxLen: number,
  ) {
    this.options = { retentionMs, maxLen };
  }

  append(user: string, bytes: Uint8Array): Promise<string> {
    return this.engine.streams.append(keys.history(user), bytes, this.options);
  }

  async range(user: string, fromMs: number, toMs: number, limit: number, cursor?: string): Promise<HistoryPage> {
    // Cursors come from clients: a malformed one is their error, not ours.
    if (cursor !== undefined && parseStreamId(cursor) === null) {
      throw new LocusError('BAD_MESSAGE', 'cursor is not one this server returned', { field: 'cursor' });
    }
    const entries = await this.engine.streams.range(keys.history(user), fromMs, toMs, limit + 1, cursor);
    const items: StoredLocation[] = [];
    let next: string | undefined;
    for (let i = 0; i < entries.length && i < limit; i++) {
      const e = entries[i]!;
      const loc = decodeStoredLocation(e.value);
      if (loc) items.push(loc);
      next = e.id;
    }
    return entries.length > limit ? { items, next } : { items };
  }
}
