/** What a reader hands on: one whole message (text or binary), or a control frame. */
export interface FrameSink {
  message(data: Buffer, isBinary: boolean): void;
  /** Close (8), ping (9) or pong (10), with its payload. */
  control(opcode: number, payload: Buffer): void;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** Longest message accepted: a bench message is a few hundred bytes; this catches a broken stream. */
const MAX_MESSAGE = 16 * 1024 * 1024;

/**
 * Splits a WebSocket byte stream (RFC 6455, the server-to-client direction) into messages, for the
 * load generators of bench:peers: they receive every delivery of every stack, so their own cost per
 * message sets how much of a small machine's CPU is left for the server under test.
 *
 * Allocation-aware: a message that arrives whole within one chunk is handed on as a view of that
 * chunk (no copy); only a frame split across chunks, or a fragmented message, is copied together.
 * Masked frames (which servers do not send) are unmasked in place. No extensions (the bench clients
 * offer none).
 */
export class WsFrameReader {
  private rest: Buffer | null = null;
  private fragments: Buffer[] = [];
  private fragmentOpcode = 0;
  private fragmentBytes = 0;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    const data = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    let pos = 0;
    const end = data.length;
    while (end - pos >= 2) {
      const b0 = data[pos]!;
      const b1 = data[pos + 1]!;
      if ((b0 & 0x70) !== 0) throw new FrameError('reserved bits set (no extension was negotiated)');
      const opcode = b0 & 0x0f;
      let len = b1 & 0x7f;
      let head = 2;
      if (len === 126) {
        if (end - pos < 4) break;
        len = data.readUInt16BE(pos + 2);
        head = 4;
      } else if (len === 127) {
        if (end - pos < 10) break;
        if (data.readUInt32BE(pos + 2) !== 0) throw new FrameError('frame longer than 4 GiB');
        len = data.readUInt32BE(pos + 6);
        head = 10;
      }
      if (len > MAX_MESSAGE) throw new FrameError(`frame of ${len} bytes is over ${MAX_MESSAGE}`);
      const masked = (b1 & 0x80) !== 0;
      if (masked) head += 4;
      if (end - pos < head + len) break;
      const start = pos + head;
      const payload = data.subarray(start, start + len);
      if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ data[start - 4 + (i & 3)]!;
      pos = start + len;
      const fin = (b0 & 0x80) !== 0;
      if (opcode >= 8) {
        if (!fin || len > 125) throw new FrameError('control frame fragmented or over 125 bytes');
        this.sink.control(opcode, payload);
      } else if (opcode === 0) {
        if (this.fragmentOpcode === 0) throw new FrameError('continuation frame with no message to continue');
        this.addFragment(payload);
        if (fin) this.finishFragments();
      } else if (opcode === 1 || opcode === 2) {
        if (this.fragmentOpcode !== 0) throw new FrameError('new message before the fragmented one ended');
        if (fin) this.sink.message(payload, opcode === 2);
        else {
          this.fragmentOpcode = opcode;
          this.addFragment(payload);
        }
      } else throw new FrameError(`unknown opcode ${opcode}`);
    }
    // What is left is the start of a frame: keep a copy (the caller may reuse its chunk).
    if (pos < end) this.rest = Buffer.from(data.subarray(pos));
  }

  private addFragment(payload: Buffer): void {
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > MAX_MESSAGE) throw new FrameError(`message over ${MAX_MESSAGE} bytes`);
    this.fragments.push(Buffer.from(payload));
  }

  private finishFragments(): void {
    const whole = Buffer.concat(this.fragments, this.fragmentBytes);
    const isBinary = this.fragmentOpcode === 2;
    this.fragments = [];
    this.fragmentOpcode = 0;
    this.fragmentBytes = 0;
    this.sink.message(whole, isBinary);
  }
}

/**
 * One client-to-server frame (FIN, masked as RFC 6455 requires of clients). The mask key is zero, so
 * the payload goes out as it is: servers unmask whatever key they get, and a bench has no proxy
 * whose cache a predictable key could poison (the reason browsers must pick random keys).
 */
export function clientFrame(payload: Buffer, opcode: number): Buffer {
  const len = payload.length;
  const head = len < 126 ? 6 : len < 65536 ? 8 : 14;
  const out = Buffer.allocUnsafe(head + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(len, 6);
  }
  out.writeUInt32BE(0, head - 4);
  payload.copy(out, head);
  return out;
}
