/**
 * Per-connection rate limit as plain fields on the connection (no object per connection): a token
 * bucket refilled lazily from the elapsed time on each message.
 */
export interface BucketState {
  tokens: number;
  refilledAt: number;
}

export function takeToken(b: BucketState, now: number, ratePerSec: number, burst: number): boolean {
  const elapsed = now - b.refilledAt;
  if (elapsed > 0) {
    b.tokens = Math.min(burst, b.tokens + (elapsed * ratePerSec) / 1000);
    b.refilledAt = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return true;
  }
  return false;
}
