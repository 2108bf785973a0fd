/**
 * Where a process keeps its sessions' profiles until their first run is read:
 * under the system temp dir, named by its pid. A worker killed mid-run cannot
 * remove its own, so the pool (which must not load the runtime to do it)
 * removes them by this prefix when the child exits.
 * @module
 */

/**
 * @example
 * mkdtempSync(join(tmpdir(), profileDirPrefix(process.pid))); // /tmp/cnnvis-ort-4242-aB3xYz
 */
export function profileDirPrefix(pid: number): string {
  return `cnnvis-ort-${pid}-`;
}
