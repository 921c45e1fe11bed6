import { Packr, RESET_BUFFER_MODE, Unpackr } from 'msgpackr';
import { ClientMessage, CLIENT_MESSAGE_TYPES, type ClientMessageType, type RequestId } from './client-messages.js';
import { decodeLocFrame } from './loc-frame-decoder.js';
import { LocusError } from './locus-error.js';
import { PatchPacker } from './patch-frame.js';
import type { ServerMessage } from './server-messages.js';
import type { WireFormat } from './version.js';

/*
 * Records and other msgpackr extensions are off: peers in any language must be able to speak the
 * protocol with a plain msgpack library, and a hostile peer must not be able to define structures.
 */
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const patches = new PatchPacker(packr);
const textDecoder = new TextDecoder('utf-8', { fatal: true });
const knownTypes = new Set<string>(CLIENT_MESSAGE_TYPES);

export type DecodeResult =
  | { ok: true; msg: ClientMessage }
  | { ok: false; error: LocusError; id: RequestId; type: string | undefined };

/**
 * Decode and validate one inbound frame. Never throws: every failure is a LocusError with a stable
 * code (BAD_MESSAGE, UNKNOWN_TYPE), carrying the request id and type when they could be read so the
 * error reply can echo them.
 */
export function decodeClientFrame(data: Uint8Array, isBinary: boolean): DecodeResult {
  if (isBinary) {
    // Most frames are location updates: read those directly (the same result; see decodeLocFrame).
    const loc = decodeLocFrame(data);
    if (loc !== undefined) return { ok: true, msg: loc };
  }
  let raw: unknown;
  try {
    raw = isBinary ? unpackStrict(data) : JSON.parse(textDecoder.decode(data));
  } catch {
    return fail(new LocusError('BAD_MESSAGE', isBinary ? 'frame is not valid msgpack' : 'frame is not valid JSON'));
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(new LocusError('BAD_MESSAGE', 'a message must be a map with a type field "t"'));
  }
  const obj = raw as Record<string, unknown>;
  const id = readId(obj.id);
  const t = obj.t;
  if (typeof t !== 'string') return fail(new LocusError('BAD_MESSAGE', 'missing message type "t"'), id);
  if (!knownTypes.has(t)) return fail(new LocusError('UNKNOWN_TYPE', `unknown message type "${t.slice(0, 40)}"`), id, t);
  const parsed = ClientMessage.safeParse(obj);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? first.path.join('.') : 'message';
    return fail(new LocusError('BAD_MESSAGE', `${where}: ${first?.message ?? 'invalid'}`, { field: where }), id, t);
  }
  return { ok: true, msg: parsed.data };
}

/** Decode exactly one msgpack value; trailing bytes mean a corrupt or concatenated frame. */
function unpackStrict(data: Uint8Array): unknown {
  const values = unpackr.unpackMultiple(data as Buffer);
  if (!values || values.length !== 1) throw new Error('expected exactly one value');
  return values[0];
}

function readId(id: unknown): RequestId {
  if (typeof id === 'string' && id.length <= 64) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return undefined;
}

function fail(error: LocusError, id?: RequestId, type?: string): DecodeResult {
  return { ok: false, error, id, type: type as ClientMessageType | undefined };
}

/** Encode a server message in the connection's wire format. */
export function encodeServerMessage(msg: ServerMessage, format: WireFormat): Uint8Array | string {
  if (format === 'json') return JSON.stringify(msg);
  return msg.t === 'nav_patch' ? patches.pack(msg) : packr.pack(msg);
}

/**
 * encodeServerMessage into buffers the next encode (of any message) overwrites: for a socket write
 * that copies the bytes at once, as uWS's send does. Nothing is allocated per message (a new buffer
 * per frame brings V8's next full collection nearer: see PatchPacker.packTransient).
 */
export function encodeServerMessageTransient(msg: ServerMessage, format: WireFormat): Uint8Array | string {
  if (format === 'json') return JSON.stringify(msg);
  return msg.t === 'nav_patch' ? patches.packTransient(msg) : packr.pack(msg, RESET_BUFFER_MODE);
}

/** Encode any client message (used by the SDK, tests and load tools). */
export function encodeClientMessage(msg: unknown, format: WireFormat = 'msgpack'): Uint8Array | string {
  return format === 'json' ? JSON.stringify(msg) : packr.pack(msg);
}

/** Decode a server frame (SDK, tests, load tools). Throws on garbage: servers are trusted peers. */
export function decodeServerFrame(data: Uint8Array | ArrayBuffer | string): ServerMessage {
  if (typeof data === 'string') return JSON.parse(data) as ServerMessage;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  return unpackr.unpack(bytes as Buffer) as ServerMessage;
}
