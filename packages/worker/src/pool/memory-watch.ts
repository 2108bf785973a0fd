/**
 * How much memory a worker child holds, read from outside it: native allocations escape any JS
 * limit, so the pool stops a child that grows past its limit before the OOM killer picks one.
 * @module
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** How often a busy child's memory is sampled. Filling memory runs at a few GB/s, so overshoot stays well under a GB. */
export const MEMORY_SAMPLE_MS = 50;

/** The resident set size of process `pid` in bytes; null without `/proc` or once it exited. */
export function residentBytes(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/** Half of the machine's memory, or of its container's limit when that is lower. */
export function defaultMemoryLimit(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const total = totalmem();
  return Math.floor((constrained > 0 && constrained < total ? constrained : total) / 2);
}

/** `1.5 GiB`, `300 MiB`. */
export function formatMemory(bytes: number): string {
  const gib = bytes / 2 ** 30;
  return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
