import { recordTtl } from '../arguments.js';
import type { RecordWrite } from '../types.js';
import { asBuffer } from './buffers.js';
import type { RedisContext } from './redis-context.js';
import { ignore } from './results.js';

/**
 * SET (with PX when a TTL is given), XADD with the time trim (and XTRIM MAXLEN when a count bound is
 * given, as RedisStreams.append does), then PUBLISH or SPUBLISH — one script, so a location update is
 * one command and one round trip; a failing command stops the script there (Redis does not undo what
 * ran before it). The stream field is `v`, as in RedisStreams, so range() reads these entries like any
 * other.
 */
const SCRIPT = `
local ttl = tonumber(ARGV[2])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl) else redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[3], '*', 'v', ARGV[1])
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', ARGV[4]) end
redis.call(ARGV[6], ARGV[5], ARGV[1])
return 1
`;

/** The same, then the update's number at KEYS[3] unless a higher one is there (RecordWrite.seq). */
const SCRIPT_SEQ = `${SCRIPT.replace(/return 1\s*$/, '')}
local held = tonumber(redis.call('GET', KEYS[3]))
if held == nil or held < tonumber(ARGV[7]) then
  if ttl > 0 then redis.call('SET', KEYS[3], ARGV[7], 'PX', ttl) else redis.call('SET', KEYS[3], ARGV[7]) end
end
return 1
`;

interface RecordCommand {
  locusRecord(key: string, stream: string, value: Buffer, ttlMs: number, minId: number, maxLen: string, channel: string, publish: string): Promise<unknown>;
  locusRecordSeq(key: string, stream: string, seqKey: string, value: Buffer, ttlMs: number, minId: number, maxLen: string, channel: string, publish: string, seq: string): Promise<unknown>;
}

/**
 * Engine.record on a Redis Cluster, one script per record (ioredis sends EVALSHA, loading the script
 * where missing): records of different users live in different slots, so they cannot share a call as
 * on a standalone Redis (RecordBatcher).
 */
export class RedisRecorder {
  constructor(
    private readonly ctx: RedisContext,
    /** PUBLISH on a standalone Redis, SPUBLISH on a cluster (the channel's shard is the keys' one). */
    private readonly publish: 'PUBLISH' | 'SPUBLISH',
  ) {
    const define = (ctx.cmd as unknown as { defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void }).defineCommand.bind(ctx.cmd);
    define('locusRecord', { numberOfKeys: 2, lua: SCRIPT });
    define('locusRecordSeq', { numberOfKeys: 3, lua: SCRIPT_SEQ });
  }

  record(w: RecordWrite, value: Uint8Array): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    let ttl: number;
    try {
      ttl = recordTtl(w);
    } catch (err) {
      return Promise.reject(err);
    }
    // The local clock picks the trim cut-off, as in RedisStreams.append.
    const minId = Math.max(0, Date.now() - w.streamOptions.retentionMs);
    const maxLen = w.streamOptions.maxLen === undefined ? '' : String(w.streamOptions.maxLen);
    const p = ctx.prefix;
    const cmd = ctx.cmd as unknown as RecordCommand;
    const done = w.seq === undefined
      ? cmd.locusRecord(p + w.key, p + w.stream, asBuffer(value), ttl, minId, maxLen, p + w.channel, this.publish)
      : cmd.locusRecordSeq(p + w.key, p + w.stream, p + w.seq.key, asBuffer(value), ttl, minId, maxLen, p + w.channel, this.publish, String(w.seq.value));
    return done.then(ignore, ctx.fail);
  }
}
