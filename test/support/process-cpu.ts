/**
 * CPU time of another process, read from /proc (Linux): what it has done,
 * whatever else loads the machine, unlike wall time.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, which /proc/<pid>/stat counts in on every architecture it runs on here. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of `pid`, all threads, in milliseconds. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
