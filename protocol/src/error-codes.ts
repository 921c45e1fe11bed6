/**
 * Every error Locus reports, with its stable code and HTTP status. Socket errors and HTTP errors use
 * the same codes, so a client handles one table whichever way it talks to us.
 */
export const ERROR_CODES = {
  BAD_MESSAGE: { status: 400, text: 'the message could not be decoded or does not match the schema' },
  BAD_REQUEST: { status: 400, text: 'the request is not valid' },
  UNKNOWN_TYPE: { status: 400, text: 'unknown message type' },
  UNSUPPORTED_VERSION: { status: 400, text: 'no protocol version in common' },
  UNAUTHORIZED: { status: 401, text: 'missing, invalid or expired token' },
  FORBIDDEN: { status: 403, text: 'not allowed' },
  NOT_FOUND: { status: 404, text: 'not found' },
  NOT_FRIEND: { status: 403, text: 'the other user is not a friend' },
  NO_REQUEST: { status: 404, text: 'there is no pending friend request from that user' },
  CONFLICT: { status: 409, text: 'conflicts with the current state' },
  TOO_LARGE: { status: 413, text: 'frame or body larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, text: 'unsupported content type' },
  LIMIT_EXCEEDED: { status: 422, text: 'a configured limit would be exceeded' },
  NO_ROUTE: { status: 422, text: 'no route connects these points with the options given' },
  OFF_MAP: { status: 422, text: 'a point is too far from any road of the map' },
  RATE_LIMITED: { status: 429, text: 'too many messages; slow down' },
  DRAINING: { status: 503, text: 'this gateway is draining; reconnect to another' },
  ENGINE_UNAVAILABLE: { status: 503, text: 'the engine (pub/sub, cache) is not reachable' },
  ENGINE_TIMEOUT: { status: 503, text: 'the engine did not answer in time' },
  ENGINE_CLOSED: { status: 503, text: 'the engine is closed' },
  INTERNAL: { status: 500, text: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}
