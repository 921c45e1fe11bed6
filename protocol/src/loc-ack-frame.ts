/**
 * The acknowledgement of a location update, `{ t: 'ok', of: 'loc', seq }`, as msgpack bytes written
 * into a reused buffer: the reply nearly every update gets, without a message object and a general
 * encode per update. The bytes are exactly what the codec's packr writes for that message (a test
 * compares them), integers above 2³² included (float64, as packr writes them).
 */
const HEAD = [0x83, 0xa1, 0x74, 0xa2, 0x6f, 0x6b, 0xa2, 0x6f, 0x66, 0xa3, 0x6c, 0x6f, 0x63, 0xa3, 0x73, 0x65, 0x71];
const buf = new Uint8Array(HEAD.length + 9);
buf.set(HEAD);
const view = new DataView(buf.buffer);
/** One view per frame length, made once. */
const views: Uint8Array[] = [];

/**
 * The ack's bytes for `seq` (a non-negative safe integer, as the schema ensures): a view of a reused
 * buffer, valid until the next call (uWS's send copies it).
 */
export function encodeLocAck(seq: number): Uint8Array {
  const at = HEAD.length;
  let len: number;
  if (seq < 0x80) {
    buf[at] = seq;
    len = at + 1;
  } else if (seq < 0x100) {
    buf[at] = 0xcc;
    buf[at + 1] = seq;
    len = at + 2;
  } else if (seq < 0x10000) {
    buf[at] = 0xcd;
    view.setUint16(at + 1, seq);
    len = at + 3;
  } else if (seq < 0x100000000) {
    buf[at] = 0xce;
    view.setUint32(at + 1, seq);
    len = at + 5;
  } else {
    buf[at] = 0xcb;
    view.setFloat64(at + 1, seq);
    len = at + 9;
  }
  return (views[len] ??= buf.subarray(0, len));
}
