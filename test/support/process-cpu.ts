/**
 * CPU time of another process, read from /proc (Linux): what it has done,
 * whatever else loads the machine, unlike wall time.
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, which /proc/<pid>/stat counts CPU time in. */
export const TICKS_PER_SECOND = 100;

/** User plus system CPU time of `pid`, all threads, in clock ticks (0 once it has gone). */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised name: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
