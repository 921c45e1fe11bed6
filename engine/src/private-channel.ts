/**
 * A channel the engine uses for itself (the readiness probe). Buses route it before the subscription
 * table, so it never shows in channelCount and no consumer listener ever sees its messages.
 */
export interface PrivateChannel {
  readonly name: string;
  receive(payload: Uint8Array): void;
}
