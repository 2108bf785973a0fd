/**
 * Memory of another process, read from /proc (Linux), for tests that check a
 * spawned server's memory stays bounded.
 */
import { readFileSync } from 'node:fs';

/** `VmRSS` (resident now) and `VmHWM` (the peak resident so far) of `pid`, in MiB. */
export function processMemoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}
