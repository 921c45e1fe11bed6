import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeTile, type TileData } from './tile-format.js';

/**
 * Tiles read from disk on first use and kept in a bounded LRU (the tile directory stands in for an
 * object store). Concurrent requests for the same tile share one read.
 */
export class TileCache {
  private readonly tiles = new Map<string, TileData>();
  private readonly loading = new Map<string, Promise<TileData>>();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(
    private readonly dir: string,
    private readonly maxTiles: number,
  ) {}

  get size(): number {
    return this.tiles.size;
  }

  /**
   * The same, read synchronously: what a search running to completion on the event loop can wait for
   * (the tile directory is local disk; an object store would need the search to suspend instead).
   */
  getSync(name: string): TileData {
    const t = this.tiles.get(name);
    if (t) {
      this.hits++;
      this.tiles.delete(name);
      this.tiles.set(name, t);
      return t;
    }
    this.misses++;
    const buf = readFileSync(join(this.dir, `${name}.tile`));
    return this.keep(name, decodeTile(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
  }

  private keep(name: string, tile: TileData): TileData {
    this.tiles.set(name, tile);
    while (this.tiles.size > this.maxTiles) {
      this.tiles.delete(this.tiles.keys().next().value as string);
      this.evictions++;
    }
    return tile;
  }

  async get(name: string): Promise<TileData> {
    const t = this.tiles.get(name);
    if (t) {
      this.hits++;
      this.tiles.delete(name);
      this.tiles.set(name, t);
      return t;
    }
    const pending = this.loading.get(name);
    if (pending) return pending;
    this.misses++;
    const p = readFile(join(this.dir, `${name}.tile`)).then((buf) => this.keep(name, decodeTile(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength))));
    this.loading.set(name, p);
    try {
      return await p;
    } finally {
      this.loading.delete(name);
    }
  }
}
