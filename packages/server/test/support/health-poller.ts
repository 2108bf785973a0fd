/**
 * Polling a server's /healthz while something else happens to it, counting
 * every answer that is not a prompt 200 'ok'.
 */

export interface HealthStats {
  polls: number;
  /** Answers other than 200 'ok', and requests that got no answer within the deadline. */
  failures: number;
  worstMs: number;
}

/**
 * Starts polling `url`/healthz every `everyMs` until `stop()`.
 * @example
 * const health = pollHealth(server.url);
 * await doDamage();
 * await health.stop();
 * expect(health.stats.failures).toBe(0);
 */
export function pollHealth(url: string, everyMs = 50, deadlineMs = 2000): { stats: HealthStats; stop(): Promise<HealthStats> } {
  let stopped = false;
  const stats: HealthStats = { polls: 0, failures: 0, worstMs: 0 };
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(deadlineMs) });
        if (res.status !== 200 || (await res.text()) !== 'ok') stats.failures++;
      } catch {
        stats.failures++;
      }
      stats.polls++;
      stats.worstMs = Math.max(stats.worstMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stats,
    async stop() {
      stopped = true;
      await loop;
      return stats;
    },
  };
}
