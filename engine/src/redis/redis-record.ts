import { ttlArgument, checkAppendOptions } from '../arguments.js';
import type { RecordWrite } from '../types.js';
import { asBuffer } from './buffers.js';
import type { RedisContext } from './redis-context.js';
import { ignore } from './results.js';

/**
 * SET (with PX when a TTL is given), XADD with the time trim (and XTRIM MAXLEN when a count bound is
 * given, as RedisStreams.append does), then PUBLISH or SPUBLISH — one script, so a location update is
 * one command and one round trip, and all three happen or none. The stream field is `v`, as in
 * RedisStreams, so range() reads these entries like any other.
 */
const SCRIPT = `
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', 'v', ARGV[1])
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', ARGV[4]) end
redis.call(ARGV[6], ARGV[5], ARGV[1])
return 1
`;

interface RecordCommand {
  locusRecord(key: string, stream: string, value: Buffer, ttlMs: number, minId: number, maxLen: string, channel: string, publish: string): Promise<unknown>;
}

/** Engine.record on a Redis connection or a Cluster (ioredis sends EVALSHA, loading the script where missing). */
export class RedisRecorder {
  constructor(
    private readonly ctx: RedisContext,
    /** PUBLISH on a standalone Redis, SPUBLISH on a cluster (the channel's shard is the keys' one). */
    private readonly publish: 'PUBLISH' | 'SPUBLISH',
  ) {
    (ctx.cmd as unknown as { defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void }).defineCommand('locusRecord', { numberOfKeys: 2, lua: SCRIPT });
  }

  record(w: RecordWrite, value: Uint8Array): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    let ttl: number;
    try {
      ttl = ttlArgument(w.ttlMs);
      checkAppendOptions(w.streamOptions);
    } catch (err) {
      return Promise.reject(err);
    }
    // The local clock picks the trim cut-off, as in RedisStreams.append.
    const minId = Math.max(0, Date.now() - w.streamOptions.retentionMs);
    const maxLen = w.streamOptions.maxLen === undefined ? '' : String(w.streamOptions.maxLen);
    const p = ctx.prefix;
    return (ctx.cmd as unknown as RecordCommand).locusRecord(p + w.key, p + w.stream, asBuffer(value), ttl, minId, maxLen, p + w.channel, this.publish).then(ignore, ctx.fail);
  }
}
