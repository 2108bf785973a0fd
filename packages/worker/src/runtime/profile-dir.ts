/**
 * Where a process keeps its sessions' profiles until their first run is read: a worker killed
 * mid-run cannot remove its own, so the pool removes them by this prefix when the child exits.
 * @module
 */
/**
 * The prefix of a process's profile folders in the temp dir, by which the pool removes those a
 * killed child left behind.
 */
export function profileDirPrefix(pid: number): string {
  return `cnnvis-ort-${pid}-`;
}
