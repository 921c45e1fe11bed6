/** Protocol versions this build speaks, oldest first. */
export const PROTOCOL_VERSIONS = [1] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export const LATEST_PROTOCOL_VERSION: ProtocolVersion = 1;

/** WebSocket subprotocol names: `locus.v1` (msgpack binary frames) and `locus.v1.json` (JSON text frames). */
export const SUBPROTOCOL_PREFIX = 'locus.v';

export type WireFormat = 'msgpack' | 'json';

export interface Negotiated {
  version: ProtocolVersion;
  format: WireFormat;
  /** The subprotocol to echo in the handshake, or '' when the client offered none. */
  subprotocol: string;
}

/**
 * Choose the version and wire format from the client's offer. The offer is the
 * Sec-WebSocket-Protocol header (comma separated, preference order) and/or the `v` and `format`
 * query parameters (for clients that cannot set subprotocols). No offer = latest version, msgpack.
 * Returns null when nothing offered is supported.
 */
export function negotiate(subprotocolHeader: string, queryVersion: string, queryFormat: string): Negotiated | null {
  const offered = subprotocolHeader
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(SUBPROTOCOL_PREFIX));
  for (const name of offered) {
    const rest = name.slice(SUBPROTOCOL_PREFIX.length);
    const json = rest.endsWith('.json');
    const v = parseVersion(json ? rest.slice(0, -5) : rest);
    if (isSupported(v)) return { version: v, format: json ? 'json' : 'msgpack', subprotocol: name };
  }
  if (offered.length > 0) return null;
  const format: WireFormat = queryFormat === 'json' ? 'json' : 'msgpack';
  if (queryVersion === '') return { version: LATEST_PROTOCOL_VERSION, format, subprotocol: '' };
  // "1" or "1,2": the highest we share.
  const wanted = queryVersion.split(',').map(parseVersion).filter(isSupported);
  if (wanted.length === 0) return null;
  return { version: Math.max(...wanted) as ProtocolVersion, format, subprotocol: '' };
}

/** Plain decimal without leading zeros ("1", not "01" or "1.0"): one spelling per version. */
function parseVersion(s: string): number {
  return /^[1-9]\d{0,5}$/.test(s.trim()) ? Number(s) : Number.NaN;
}

function isSupported(v: number): v is ProtocolVersion {
  return (PROTOCOL_VERSIONS as readonly number[]).includes(v);
}
