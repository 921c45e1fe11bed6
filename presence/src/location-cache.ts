import { keys, type Engine } from '@locus/engine';
import { decodeStoredLocation, type StoredLocation } from './stored-location.js';

/**
 * The latest location per user, forgotten after the TTL: inactive users disappear. Written by
 * Presence together with the history and the user's channel (Engine.record, one step); read here.
 */
export class LocationCache {
  constructor(private readonly engine: Engine) {}

  async get(user: string): Promise<StoredLocation | null> {
    const b = await this.engine.kv.get(keys.location(user));
    return b ? decodeStoredLocation(b) : null;
  }

  /** One round trip for a user's friends on connect. */
  async getMany(users: readonly string[]): Promise<(StoredLocation | null)[]> {
    if (users.length === 0) return [];
    const raw = await this.engine.kv.mget(users.map(keys.location));
    return raw.map((b) => (b ? decodeStoredLocation(b) : null));
  }
}
