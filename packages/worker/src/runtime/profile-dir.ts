/**
 * The prefix of a process's profile folders in the temp dir, by which the pool removes those a
 * killed child left behind.
 */
export function profileDirPrefix(pid: number): string {
  return `cnnvis-ort-${pid}-`;
}
