import { checkAppendOptions, checkRangeArguments } from '../arguments.js';
import { requireStreamId, streamIdMs } from '../stream-id.js';
import type { StreamAppendOptions, StreamEntry, Streams } from '../types.js';
import { asBuffer } from './buffers.js';
import type { RedisContext } from './redis-context.js';

/** The one field of every entry: the caller's bytes. */
const FIELD = 'v';
const FIELD_BYTE = FIELD.charCodeAt(0);

/**
 * Streams as Redis streams. Ids are Redis's own `*` ids, so `at` is Redis's clock (the id's ms part)
 * and ids are strictly increasing per key even across gateways with skewed clocks.
 *
 * Trimming is approximate (`~`): Redis then drops whole radix-tree nodes instead of rewriting one per
 * append, which is what makes trim-on-every-append cheap. XADD takes one trim strategy, so time
 * (MINID) rides on the XADD and the count bound, when given, is an XTRIM MAXLEN sent right behind it
 * (auto-pipelining puts both in the same write).
 */
export class RedisStreams implements Streams {
  constructor(private readonly ctx: RedisContext) {}

  async append(key: string, value: Uint8Array, opts: StreamAppendOptions): Promise<string> {
    const { ctx } = this;
    ctx.gate.check();
    checkAppendOptions(opts);
    const k = ctx.prefix + key;
    // The local clock picks the cut-off; skew against Redis's clock only shifts an approximate trim.
    const minId = Math.max(0, Date.now() - opts.retentionMs);
    const added = ctx.cmd.xadd(k, 'MINID', '~', minId, '*', FIELD, asBuffer(value));
    try {
      if (opts.maxLen === undefined) return unwrapId(await added);
      const [id] = await Promise.all([added, ctx.cmd.xtrim(k, 'MAXLEN', '~', opts.maxLen)]);
      return unwrapId(id);
    } catch (err) {
      return ctx.fail(err);
    }
  }

  async range(key: string, fromMs: number, toMs: number, limit: number, afterId?: string): Promise<StreamEntry[]> {
    const { ctx } = this;
    ctx.gate.check();
    checkRangeArguments(fromMs, toMs, limit);
    const count = Math.floor(limit);
    if (count < 1 || toMs < 0 || toMs < fromMs) return [];
    // Stream ids are non-negative integers: round the window inwards to whole ms.
    const from = Math.max(0, Math.ceil(fromMs));
    let start = String(from);
    if (afterId !== undefined && requireStreamId(afterId).ms >= from) start = `(${afterId}`;
    const end = Number.isFinite(toMs) ? String(Math.floor(toMs)) : '+';
    let reply: [Buffer, Buffer[]][];
    try {
      reply = await ctx.cmd.xrangeBuffer(ctx.prefix + key, start, end, 'COUNT', count);
    } catch (err) {
      return ctx.fail(err);
    }
    const out = new Array<StreamEntry>(reply.length);
    for (let i = 0; i < reply.length; i++) {
      const [rawId, fields] = reply[i]!;
      const id = rawId.toString('latin1');
      out[i] = { id, at: streamIdMs(id), value: fieldValue(fields) };
    }
    return out;
  }
}

function unwrapId(id: string | null): string {
  // null only happens with NOMKSTREAM, which is never sent; guard so the type stays honest.
  if (id === null) throw new Error('XADD returned no id');
  return id;
}

function fieldValue(fields: Buffer[]): Buffer {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    if (name.length === 1 && name[0] === FIELD_BYTE) return fields[i + 1]!;
  }
  // Written by something other than this engine: an empty value rather than a crash on history reads.
  return Buffer.alloc(0);
}
