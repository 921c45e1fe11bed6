import { ttlArgument } from '../arguments.js';
import type { KV } from '../types.js';
import { asBuffer } from './buffers.js';
import type { RedisContext } from './redis-context.js';
import { ignore, isPositive } from './results.js';

/**
 * KV as Redis strings. Buffer-returning commands throughout: values are bytes, and decoding them as
 * UTF-8 would corrupt them. Returned Buffers may be views into a larger socket chunk: a consumer that
 * keeps a value for long should copy it.
 *
 * Methods are not async: they return the command's promise with one `.then`/`.catch`, since
 * get/set/mget are the per-update hot path.
 */
export class RedisKV implements KV {
  constructor(private readonly ctx: RedisContext) {}

  get(key: string): Promise<Uint8Array | null> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.getBuffer(ctx.prefix + key).catch(ctx.fail);
  }

  mget(keys: readonly string[]): Promise<(Uint8Array | null)[]> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    // MGET with no key is a syntax error in Redis; an empty request has an empty answer.
    if (keys.length === 0) return Promise.resolve([]);
    const prefixed = new Array<string>(keys.length);
    for (let i = 0; i < keys.length; i++) prefixed[i] = ctx.prefix + keys[i]!;
    return ctx.cmd.mgetBuffer(prefixed).catch(ctx.fail);
  }

  set(key: string, value: Uint8Array, ttlMs?: number): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    let ttl: number;
    try {
      ttl = ttlArgument(ttlMs);
    } catch (err) {
      return Promise.reject(err);
    }
    const reply = ttl === 0 ? ctx.cmd.set(ctx.prefix + key, asBuffer(value)) : ctx.cmd.set(ctx.prefix + key, asBuffer(value), 'PX', ttl);
    return reply.then(ignore, ctx.fail);
  }

  del(key: string): Promise<boolean> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.del(ctx.prefix + key).then(isPositive, ctx.fail);
  }

  pttl(key: string): Promise<number> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.pttl(ctx.prefix + key).catch(ctx.fail);
  }
}
