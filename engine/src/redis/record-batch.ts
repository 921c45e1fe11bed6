import { ReplyError } from 'ioredis';
import { recordTtl } from '../arguments.js';
import type { RecordWrite } from '../types.js';
import type { RedisContext } from './redis-context.js';
import { Str32Array } from './str32-array.js';

/**
 * Each record of the batch as RedisRecorder's script writes one (SET with PX, XADD with the time trim,
 * XTRIM MAXLEN, PUBLISH, the seq unless a higher one is held), from ARGV[1]: the records' fields as
 * one msgpack array of strings, nine per record. A record whose command fails (a key of the wrong
 * type) stops there and reports the error in its place in the reply; the others are written. The
 * reply has one entry per record: 1, or the error's message.
 *
 * The keys are not declared (KEYS): a batch holds many users' keys, which a standalone Redis allows
 * and a cluster does not — the redis-cluster engine sends one RedisRecorder script per record.
 */
const SCRIPT = `
local function failed(r) return type(r) == 'table' and r.err ~= nil end
local f = cmsgpack.unpack(ARGV[1])
local out = {}
for i = 1, #f, 9 do
  local key, stream, seqKey, value, ttl, minId, maxLen, channel, seq = f[i], f[i+1], f[i+2], f[i+3], f[i+4], f[i+5], f[i+6], f[i+7], f[i+8]
  local r
  repeat
    if ttl ~= '0' then r = redis.pcall('SET', key, value, 'PX', ttl) else r = redis.pcall('SET', key, value) end
    if failed(r) then break end
    r = redis.pcall('XADD', stream, 'MINID', '~', minId, '*', 'v', value)
    if failed(r) then break end
    if maxLen ~= '' then
      r = redis.pcall('XTRIM', stream, 'MAXLEN', '~', maxLen)
      if failed(r) then break end
    end
    r = redis.pcall('PUBLISH', channel, value)
    if failed(r) or seqKey == '' then break end
    r = redis.pcall('GET', seqKey)
    if failed(r) then break end
    local held = tonumber(r)
    if held == nil or held < tonumber(seq) then
      if ttl ~= '0' then r = redis.pcall('SET', seqKey, seq, 'PX', ttl) else r = redis.pcall('SET', seqKey, seq) end
    end
  until true
  if failed(r) then out[#out + 1] = r.err else out[#out + 1] = 1 end
end
return out
`;

interface BatchCommand {
  locusRecordBatch(fields: Buffer): Promise<(number | string)[]>;
}

/**
 * Records per script call: a bound on how long one call keeps Redis from its other clients (~4 ms at
 * the ~15 µs of Redis CPU per update that `bench:peers` measured, fan-out to subscribers included).
 */
const MAX_RECORDS = 256;

/**
 * Engine.record on a standalone Redis: the records issued close together go to Redis as one script
 * call, at most once per write window (as coalesceWrites does for the connection's writes: the first
 * record after a quiet spell waits for the end of the event-loop turn only).
 *
 * Why: one EVALSHA per location update cost the gateway an ioredis command each (its objects, ten
 * arguments converted, a reply parsed and a promise settled) and Redis a script call each. At the
 * update rates of `bench:peers` (BENCHMARKS.md, issue 7) these were among the gateway's largest items.
 * Batched, a window's updates cost one of each.
 *
 * What a record promises is unchanged: it settles when its own writes are done, and rejects alone
 * when one of them fails. What changes is the order on the connection: a command issued after a
 * record but before its batch goes out reaches Redis first. Nothing relies on that order: a caller
 * that needs the record written awaits it (Presence acknowledges an update only then).
 */
export class RecordBatcher {
  private fields = new Str32Array();
  private resolves: ((value: void) => void)[] = [];
  private rejects: ((err: unknown) => void)[] = [];
  private scheduled = false;
  private flushedAt = -Infinity;
  /** Script calls made (each carrying one or more records): for tests. */
  calls = 0;

  constructor(
    private readonly ctx: RedisContext,
    private readonly windowMs: number,
  ) {
    const define = (ctx.cmd as unknown as { defineCommand(name: string, def: { numberOfKeys: number; lua: string }): void }).defineCommand.bind(ctx.cmd);
    define('locusRecordBatch', { numberOfKeys: 0, lua: SCRIPT });
  }

  /** Made once: a record's promise captures its settle functions without a closure of its own. */
  private readonly capture = (resolve: (value: void) => void, reject: (err: unknown) => void): void => {
    this.resolves.push(resolve);
    this.rejects.push(reject);
  };

  record(w: RecordWrite, value: Uint8Array): Promise<void> {
    const { ctx } = this;
    if (ctx.gate.closed) return ctx.gate.rejection();
    let ttl: number;
    try {
      ttl = recordTtl(w);
    } catch (err) {
      return Promise.reject(err);
    }
    const p = ctx.prefix;
    const f = this.fields;
    f.addString(p + w.key);
    f.addString(p + w.stream);
    f.addString(w.seq === undefined ? '' : p + w.seq.key);
    f.addBytes(value);
    f.addString(ttl === 0 ? '0' : String(ttl));
    // The local clock picks the trim cut-off, as in RedisStreams.append.
    f.addString(String(Math.max(0, Date.now() - w.streamOptions.retentionMs)));
    f.addString(w.streamOptions.maxLen === undefined ? '' : String(w.streamOptions.maxLen));
    f.addString(p + w.channel);
    f.addString(w.seq === undefined ? '' : String(w.seq.value));
    const done = new Promise<void>(this.capture);
    if (this.resolves.length >= MAX_RECORDS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      const wait = this.flushedAt + this.windowMs - performance.now();
      if (wait <= 0) setImmediate(this.flush);
      else setTimeout(this.flush, wait);
    }
    return done;
  }

  /** Send what is queued as one script call (a timer left from a full batch that went early may find nothing). */
  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.resolves.length === 0) return;
    this.flushedAt = performance.now();
    const resolves = this.resolves;
    const rejects = this.rejects;
    this.resolves = [];
    this.rejects = [];
    const blob = this.fields.take();
    this.calls++;
    const cmd = this.ctx.cmd as unknown as BatchCommand;
    cmd.locusRecordBatch(blob).then(
      (reply) => {
        for (let i = 0; i < resolves.length; i++) {
          const r = reply[i];
          if (r === 1) resolves[i]!();
          else rejects[i]!(new ReplyError(typeof r === 'string' ? r : `record ${i}: unexpected reply ${String(r)}`));
        }
      },
      (err: unknown) => {
        let mapped: unknown;
        try {
          this.ctx.fail(err);
        } catch (e) {
          mapped = e;
        }
        for (const reject of rejects) reject(mapped);
      },
    );
  };
}
