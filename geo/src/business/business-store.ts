import { randomBytes } from 'node:crypto';
import { channels, keys, type Engine } from '@locus/engine';
import { LocusError } from '@locus/protocol';
import { pack, unpack } from 'msgpackr';
import type { Business, BusinessInput } from './business.js';

/** A write announced on the business channel; followers re-read the record. */
export interface BusinessChange {
  op: 'upsert' | 'delete';
  id: string;
  version: number;
}

export function encodeChange(c: BusinessChange): Uint8Array {
  return pack(c);
}

export function decodeChange(bytes: Uint8Array): BusinessChange | null {
  try {
    const v = unpack(bytes as Buffer) as Partial<BusinessChange> | null;
    if (!v || (v.op !== 'upsert' && v.op !== 'delete') || typeof v.id !== 'string' || typeof v.version !== 'number') return null;
    return { op: v.op, id: v.id, version: v.version };
  } catch {
    return null;
  }
}

/**
 * Businesses of record, in the engine (so every gateway sees the same data). Each write is announced
 * on `ch:biz`; search indexes follow the announcements (BusinessDirectory).
 *
 * Creation is made exclusive by the id set (SADD answers whether the id was new). Version checks on
 * update are read-compare-write: two racing updates with the same If-Match may both pass; the later
 * one wins whole (never a mix of fields).
 */
export class BusinessStore {
  constructor(private readonly engine: Engine) {}

  async get(id: string): Promise<Business | null> {
    const b = await this.engine.kv.get(keys.business(id));
    return b ? (unpack(b as Buffer) as Business) : null;
  }

  async getMany(ids: readonly string[]): Promise<(Business | null)[]> {
    if (ids.length === 0) return [];
    const raw = await this.engine.kv.mget(ids.map(keys.business));
    return raw.map((b) => (b ? (unpack(b as Buffer) as Business) : null));
  }

  ids(): Promise<string[]> {
    return this.engine.sets.members(keys.businessIds());
  }

  async count(): Promise<number> {
    return this.engine.sets.size(keys.businessIds());
  }

  /** Create with a generated id, or with `id` (409 CONFLICT when it exists). */
  async create(input: BusinessInput, id?: string): Promise<Business> {
    const bid = id ?? newBusinessId();
    if (!(await this.engine.sets.add(keys.businessIds(), bid))) {
      throw new LocusError('CONFLICT', `business ${bid} already exists`);
    }
    return this.write({ ...input, id: bid, version: nextVersion(0), updatedAt: Date.now() });
  }

  /** Replace a business. `ifVersion`: fail with CONFLICT unless the stored version is that one. */
  async replace(id: string, input: BusinessInput, ifVersion?: number): Promise<Business> {
    const current = await this.get(id);
    if (!current) throw new LocusError('NOT_FOUND', `no business ${id}`);
    if (ifVersion !== undefined && current.version !== ifVersion) {
      throw new LocusError('CONFLICT', `business ${id} is at version ${current.version}, not ${ifVersion}`, { version: current.version });
    }
    return this.write({ ...input, id, version: nextVersion(current.version), updatedAt: Date.now() });
  }

  /** Create or replace without checks (the OSM importer: ids are stable, re-imports overwrite). */
  async put(id: string, input: BusinessInput): Promise<Business> {
    await this.engine.sets.add(keys.businessIds(), id);
    const current = await this.get(id);
    return this.write({ ...input, id, version: nextVersion(current?.version ?? 0), updatedAt: Date.now() });
  }

  /** Returns the deletion's version (what followers compare announcements with). */
  async delete(id: string, ifVersion?: number): Promise<number> {
    const current = await this.get(id);
    if (!current) throw new LocusError('NOT_FOUND', `no business ${id}`);
    if (ifVersion !== undefined && current.version !== ifVersion) {
      throw new LocusError('CONFLICT', `business ${id} is at version ${current.version}, not ${ifVersion}`, { version: current.version });
    }
    await Promise.all([this.engine.kv.del(keys.business(id)), this.engine.sets.remove(keys.businessIds(), id)]);
    const version = nextVersion(current.version);
    await this.engine.bus.publish(channels.businessChanges(), encodeChange({ op: 'delete', id, version }));
    return version;
  }

  private async write(b: Business): Promise<Business> {
    // Drop undefined fields so the stored record is exactly what was given.
    const record = JSON.parse(JSON.stringify(b)) as Business;
    await this.engine.kv.set(keys.business(b.id), pack(record));
    await this.engine.bus.publish(channels.businessChanges(), encodeChange({ op: 'upsert', id: b.id, version: b.version }));
    return record;
  }
}

/**
 * Versions grow with time as well as with each write (max(previous + 1, now in ms)), so they keep
 * growing across a delete and a re-create of the same id: followers can always drop an older
 * announcement, and If-Match can never match a deleted generation.
 */
export function nextVersion(previous: number): number {
  return Math.max(previous + 1, Date.now());
}

/** 16 random bytes as base64url-ish id characters allowed by the id pattern. */
export function newBusinessId(): string {
  return `b_${randomBytes(12).toString('base64url').replace(/-/g, '_')}`;
}
