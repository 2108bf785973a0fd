/**
 * Failed token checks per client address (logins, wrong bearer tokens or cookies on any path), so
 * the token cannot be guessed at line speed. The table is an LRU of addresses, so a flood of
 * addresses costs a bounded amount of memory.
 * @module
 */
import { LRUCache } from 'lru-cache';

const WINDOW_MS = 60_000;
const MAX_FAILURES = 10;
const MAX_ADDRESSES = 10_000;

export class TokenThrottle {
  private readonly failures = new LRUCache<string, { count: number; since: number }>({ max: MAX_ADDRESSES });

  /** Whether this address has used up its tries for now. */
  blocked(address: string, now = Date.now()): boolean {
    const f = this.failures.get(address);
    if (f === undefined || now - f.since > WINDOW_MS) return false;
    return f.count >= MAX_FAILURES;
  }

  /** Seconds until a blocked address may try again. */
  retryAfterS(address: string, now = Date.now()): number {
    const f = this.failures.get(address);
    return f === undefined ? 0 : Math.max(1, Math.ceil((f.since + WINDOW_MS - now) / 1000));
  }

  fail(address: string, now = Date.now()): void {
    const f = this.failures.get(address);
    if (f === undefined || now - f.since > WINDOW_MS) this.failures.set(address, { count: 1, since: now });
    else f.count += 1;
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }
}
