import type { OpenGate } from '../open-gate.js';
import type { Sets } from '../types.js';
import { WRONGTYPE, type Keyspace, type SetRecord } from './keyspace.js';

/** Sets over the shared keyspace. Like Redis, an emptied set is deleted: no empty shells pile up. */
export class MemorySets implements Sets {
  constructor(
    private readonly keyspace: Keyspace,
    private readonly gate: OpenGate,
  ) {}

  async add(key: string, member: string): Promise<boolean> {
    this.gate.check();
    const record = this.find(key);
    if (record === undefined) {
      this.keyspace.set(key, { kind: 'set', members: new Set([member]) });
      return true;
    }
    if (record.members.has(member)) return false;
    record.members.add(member);
    return true;
  }

  async remove(key: string, member: string): Promise<boolean> {
    this.gate.check();
    const record = this.find(key);
    if (record === undefined || !record.members.delete(member)) return false;
    if (record.members.size === 0) this.keyspace.delete(key);
    return true;
  }

  async has(key: string, member: string): Promise<boolean> {
    this.gate.check();
    return this.find(key)?.members.has(member) ?? false;
  }

  async members(key: string): Promise<string[]> {
    this.gate.check();
    const record = this.find(key);
    return record === undefined ? [] : [...record.members];
  }

  async size(key: string): Promise<number> {
    this.gate.check();
    return this.find(key)?.members.size ?? 0;
  }

  private find(key: string): SetRecord | undefined {
    const record = this.keyspace.get(key);
    if (record === undefined) return undefined;
    if (record.kind !== 'set') throw new Error(WRONGTYPE);
    return record;
  }
}
