/**
 * WebSocket close codes Locus uses. 1xxx are the RFC 6455 ones; 4xxx are ours and stable.
 * A client should reconnect (with backoff) after every code here except UNAUTHORIZED-type ones,
 * where it must first get a new token.
 */
export const CLOSE_CODES = {
  /** Normal close requested by the client or after a completed drain hand-off. */
  NORMAL: 1000,
  /**
   * Not sent by Locus: a frame above the hard frame cap makes uWS drop the TCP connection without a
   * close frame, which clients see as 1006 (abnormal closure), like an idle timeout.
   */
  ABNORMAL: 1006,
  /** The server is restarting or draining: reconnect, preferably to another gateway. */
  SERVICE_RESTART: 1012,
  /** Internal error. */
  INTERNAL: 1011,
  /** The token expired and was not refreshed in time. Get a new token, then reconnect. */
  TOKEN_EXPIRED: 4001,
  /** Repeated undecodable / invalid messages. */
  BAD_MESSAGES: 4002,
  /** The consumer reads too slowly: its send buffer stayed above the limit. */
  SLOW_CONSUMER: 4008,
  /** Message flood far beyond the rate limit. */
  RATE_LIMIT: 4029,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
