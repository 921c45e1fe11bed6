import { channels, type BusListener, type Engine } from '@locus/engine';
import ngeohash from 'ngeohash';
import { ProximityIndex, type IndexKind } from '../proximity/proximity-index.js';
import type { Business } from './business.js';
import { decodeChange, type BusinessStore } from './business-store.js';
import { CellCache } from './cell-cache.js';
import { isOpenAt, type OpeningHours } from './opening-hours.js';
import { decodeCursor, encodeCursor, queryDigest } from './search-cursor.js';

export interface SearchParams {
  lat: number;
  lng: number;
  radius: number;
  limit: number;
  category?: string;
  openNow?: boolean;
  cursor?: string;
  /** Clock for open_now (tests). */
  now?: number;
}

export interface SearchHit {
  business: Business;
  /** Metres from the query point. */
  distance: number;
}

export interface SearchPage {
  results: SearchHit[];
  next?: string;
}

/** Geohash precision of cache cells: ~1.2 × 0.6 km, a few city blocks. */
const CELL_PRECISION = 6;
const LOAD_BATCH = 1000;

/**
 * A gateway's view of the businesses: a proximity index over all of them, loaded from the store at
 * start and kept current by the store's change announcements (so a write on any gateway reaches
 * search on every gateway after one pub/sub hop and one read; on the writing gateway it is applied
 * before the write is answered). Result records come from a cell cache in front of the store.
 */
export class BusinessDirectory {
  readonly index: ProximityIndex;
  readonly cache: CellCache<Map<string, Business>>;
  private readonly hours = new Map<string, OpeningHours>();
  private readonly cellOf = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();
  /** Newest version applied per id, so a late announcement never rolls a business back. */
  private readonly versions = new Map<string, number>();
  private readonly onChange: BusListener = (_channel, payload) => {
    const c = decodeChange(payload);
    if (c) void this.refresh(c.id, c.version).catch(() => undefined);
  };

  constructor(
    private readonly engine: Engine,
    private readonly store: BusinessStore,
    kind: IndexKind,
    cacheCells = 4096,
  ) {
    this.index = new ProximityIndex(kind);
    this.cache = new CellCache(cacheCells);
  }

  get size(): number {
    return this.index.size;
  }

  /** Subscribe first, then load: a write during the load is applied after it, never lost. */
  async start(): Promise<void> {
    await this.engine.bus.subscribe(channels.businessChanges(), this.onChange);
    const ids = await this.store.ids();
    const loaded: Business[] = [];
    for (let i = 0; i < ids.length; i += LOAD_BATCH) {
      for (const b of await this.store.getMany(ids.slice(i, i + LOAD_BATCH))) if (b) loaded.push(b);
    }
    this.index.bulkLoad(loaded.filter((b) => this.track(b)));
  }

  async stop(): Promise<void> {
    await this.engine.bus.unsubscribe(channels.businessChanges(), this.onChange);
  }

  /** Apply a record (or its deletion) now: the writing gateway calls this before answering. */
  apply(id: string, b: Business | null, version: number): void {
    if ((this.versions.get(id) ?? 0) > version) return;
    this.versions.set(id, version);
    const oldCell = this.cellOf.get(id);
    if (oldCell !== undefined) {
      this.cache.invalidate(oldCell);
      this.members.get(oldCell)?.delete(id);
      this.cellOf.delete(id);
    }
    this.hours.delete(id);
    if (!b) {
      this.index.remove(id);
      return;
    }
    this.track(b);
    this.cache.invalidate(this.cellOf.get(id)!);
    this.index.upsert(id, b.lat, b.lng, b.category);
  }

  async search(p: SearchParams): Promise<SearchPage> {
    const digest = queryDigest([p.lat, p.lng, p.radius, p.category, p.openNow]);
    const after = p.cursor !== undefined ? decodeCursor(p.cursor, digest) : undefined;
    const now = p.now ?? Date.now();
    const accept = p.openNow
      ? (id: string): boolean => {
          const h = this.hours.get(id);
          return h !== undefined && isOpenAt(h, now);
        }
      : undefined;
    const { hits } = this.index.nearby({
      lat: p.lat,
      lng: p.lng,
      radius: p.radius,
      limit: p.limit + 1,
      ...(p.category !== undefined ? { category: p.category } : {}),
      ...(accept ? { accept } : {}),
      ...(after ? { after } : {}),
    });
    const page = hits.slice(0, p.limit);
    const records = await this.records(page.map((h) => h.id));
    const results: SearchHit[] = [];
    page.forEach((h, i) => {
      const business = records[i];
      if (business) results.push({ business, distance: h.d });
    });
    const last = page[page.length - 1];
    return hits.length > p.limit && last ? { results, next: encodeCursor({ d: last.d, id: last.id }, digest) } : { results };
  }

  /** Records through the cell cache: a miss loads the whole cell in one batched read. */
  private async records(ids: readonly string[]): Promise<(Business | undefined)[]> {
    const out: (Business | undefined)[] = [];
    for (const id of ids) {
      const cell = this.cellOf.get(id);
      if (cell === undefined) {
        out.push(undefined);
        continue;
      }
      let entry = this.cache.get(cell);
      if (!entry) {
        const memberIds = [...(this.members.get(cell) ?? [])];
        const loaded = await this.store.getMany(memberIds);
        entry = new Map();
        for (const b of loaded) if (b && this.cellOf.get(b.id) === cell) entry.set(b.id, b);
        this.cache.set(cell, entry);
      }
      out.push(entry.get(id));
    }
    return out;
  }

  private async refresh(id: string, version: number): Promise<void> {
    if ((this.versions.get(id) ?? 0) >= version) return;
    const b = await this.store.get(id);
    this.apply(id, b, b?.version ?? version);
  }

  private track(b: Business): boolean {
    const cell = ngeohash.encode(b.lat, b.lng, CELL_PRECISION);
    this.cellOf.set(b.id, cell);
    let m = this.members.get(cell);
    if (!m) this.members.set(cell, (m = new Set()));
    m.add(b.id);
    if (b.hours) this.hours.set(b.id, b.hours);
    this.versions.set(b.id, Math.max(this.versions.get(b.id) ?? 0, b.version));
    return true;
  }
}
