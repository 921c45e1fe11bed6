import { Packr, Unpackr } from 'msgpackr';
import type { ServerMessage, WireFormat } from '@locus/protocol';

/*
 * The client half of the wire codec (protocol/src/codec.ts has the server half and the schemas).
 * Kept here without the schemas so that browsers do not download a validator for messages the
 * server validates anyway. Plain msgpack, no records or extensions, as the protocol requires.
 */
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export function encodeMessage(msg: unknown, format: WireFormat): string | Uint8Array {
  return format === 'json' ? JSON.stringify(msg) : packr.pack(msg);
}

/** Text frames are JSON, binary frames msgpack (whatever was negotiated, like the server). */
export function decodeMessage(data: unknown): ServerMessage {
  if (typeof data === 'string') return JSON.parse(data) as ServerMessage;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
  return unpackr.unpack(bytes) as ServerMessage;
}
