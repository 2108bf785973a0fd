/**
 * Per-connection message rate limits: a token bucket per socket, so one
 * flooding client is refused (TOO_MANY_REQUESTS) while the others go on.
 * Every socket transport (socket.io, `/vis_socket`) makes one per connection.
 * @module
 */
import { CnnvisError } from '../errors';

/** A bucket holds this many seconds' worth of messages: a training loop may pipeline a burst. */
export const BURST_SECONDS = 2;

export interface MessageRateLimiter {
  /** Messages per second allowed. */
  readonly rate: number;
  /** Spend one token; false when the connection is over its rate (the message must be refused). */
  take(): boolean;
}

/**
 * A token bucket refilled at `rate` tokens per second, holding at most `rate × BURST_SECONDS`; it
 * starts full. Refills lazily, on `take`.
 */
export function createMessageRateLimiter(
  rate: number,
  now: () => number = performance.now.bind(performance),
): MessageRateLimiter {
  const capacity = Math.max(1, rate * BURST_SECONDS);
  let tokens = capacity;
  let last = now();
  return {
    rate,
    take() {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * rate);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/** The refusal of a message over the rate, naming the limit and the flag that raises it. */
export function tooManyMessages(rate: number): CnnvisError {
  return new CnnvisError({
    code: 'TOO_MANY_REQUESTS',
    message: `this connection sent more than ${rate} messages per second (bursts of ${rate * BURST_SECONDS}); slow down or raise --max-message-rate`,
  });
}
