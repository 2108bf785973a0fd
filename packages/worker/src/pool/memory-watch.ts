/**
 * How much memory a worker child holds, read from outside it: a model can
 * ask ONNX Runtime for a buffer that fits the machine's overcommit but not
 * its RAM, and fill it from native code where no JS limit applies. The pool
 * samples each busy child's resident set and stops one that grows past its
 * limit, before the machine starts swapping or the kernel's OOM killer picks
 * a process (perhaps the server).
 * @module
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** How often a busy child's memory is sampled. Filling memory runs at a few GB/s, so overshoot stays well under a GB. */
export const MEMORY_SAMPLE_MS = 50;

/**
 * The resident set size of process `pid` in bytes, or null where it cannot
 * be read (no `/proc`: not Linux; or the process has exited).
 * @example
 * residentBytes(child.pid); // 187_334_656
 */
export function residentBytes(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

/**
 * Half of the memory this process may use: the machine's, or its container's
 * limit when that is lower. One runaway model then cannot take the server and
 * everything else on the machine down with it.
 * @example
 * defaultMemoryLimit(); // 12_884_901_888 on a 24 GiB machine
 */
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
