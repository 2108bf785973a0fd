/**
 * Failed logins per client address, so the token cannot be guessed at line
 * speed. Bounded: the table is cleared outright if it ever grows past its cap
 * (a flood of addresses), which costs only the throttle's memory of them.
 * @module
 */

const WINDOW_MS = 60_000;
const MAX_FAILURES = 10;
const MAX_ADDRESSES = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  /** Whether this address has used up its tries for now. */
  blocked(address: string, now = Date.now()): boolean {
    const f = this.failures.get(address);
    if (f === undefined || now - f.since > WINDOW_MS) return false;
    return f.count >= MAX_FAILURES;
  }

  fail(address: string, now = Date.now()): void {
    const f = this.failures.get(address);
    if (f === undefined || now - f.since > WINDOW_MS) {
      if (this.failures.size >= MAX_ADDRESSES) this.failures.clear();
      this.failures.set(address, { count: 1, since: now });
    } else f.count += 1;
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }
}
