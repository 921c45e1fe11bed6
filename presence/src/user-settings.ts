import { channels, keys, type Engine } from '@locus/engine';
import { pack, unpack } from 'msgpackr';
import { encodeControlEvent } from './control-event.js';

export interface UserSettings {
  /** Nearby radius in metres. */
  radius: number;
}

/** Per-user settings, stored without expiry; a change is announced on the user's control channel. */
export class UserSettingsStore {
  constructor(
    private readonly engine: Engine,
    private readonly defaults: UserSettings,
  ) {}

  get defaultRadius(): number {
    return this.defaults.radius;
  }

  async get(user: string): Promise<UserSettings> {
    const b = await this.engine.kv.get(keys.settings(user));
    if (!b) return { ...this.defaults };
    try {
      const v = unpack(b as Buffer) as Partial<UserSettings>;
      return { radius: typeof v.radius === 'number' && v.radius > 0 ? v.radius : this.defaults.radius };
    } catch {
      return { ...this.defaults };
    }
  }

  async update(user: string, patch: Partial<UserSettings>): Promise<UserSettings> {
    const next = { ...(await this.get(user)), ...patch };
    await this.engine.kv.set(keys.settings(user), pack(next));
    await this.engine.bus.publish(channels.control(user), encodeControlEvent({ kind: 'settings', user }));
    return next;
  }
}
