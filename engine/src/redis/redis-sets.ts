import type { Sets } from '../types.js';
import type { RedisContext } from './redis-context.js';
import { isOne } from './results.js';

/** Sets as Redis sets (members are strings: user ids). */
export class RedisSets implements Sets {
  constructor(private readonly ctx: RedisContext) {}

  add(key: string, member: string): Promise<boolean> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.sadd(ctx.prefix + key, member).then(isOne, ctx.fail);
  }

  remove(key: string, member: string): Promise<boolean> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.srem(ctx.prefix + key, member).then(isOne, ctx.fail);
  }

  has(key: string, member: string): Promise<boolean> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.sismember(ctx.prefix + key, member).then(isOne, ctx.fail);
  }

  members(key: string): Promise<string[]> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.smembers(ctx.prefix + key).catch(ctx.fail);
  }

  size(key: string): Promise<number> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    return ctx.cmd.scard(ctx.prefix + key).catch(ctx.fail);
  }
}
