/**
 * Where runs' feature maps live on disk: `<dataDir>/runs/<runId>.maps`, one file per run, written
 * by the worker before the run is recorded (so a recorded run always has its file) and removed when
 * no window shows the run any more. A file whose run was never recorded is removed when the store
 * opens (where several servers share the folder, only once untouched for a while).
 * @module
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, unlink } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SUFFIX = '.maps';

export interface RunFiles {
  readonly dir: string;
  /** The maps file of run `runId` (an id the server made: no path characters). */
  pathOf(runId: string): string;
  /** Remove a run's file; a missing file is fine. */
  remove(runId: string): void;
  /** The run ids of the files untouched for `untouchedForMs` (those {@link removeOrphans} judges). */
  settledIds(untouchedForMs: number): string[];
  /** Remove every run file untouched for `untouchedForMs` whose run `keep` does not know. */
  removeOrphans(keep: (runId: string) => boolean, untouchedForMs?: number): void;
  /** Remove the folder if it was a temporary one. */
  dispose(): void;
}

export function createRunFiles(dataDir: string): RunFiles {
  const temporary = dataDir === ':memory:';
  const dir = temporary ? mkdtempSync(join(tmpdir(), 'cnnvis-runs-')) : join(dataDir, 'runs');
  mkdirSync(dir, { recursive: true });
  const pathOf = (runId: string) => join(dir, `${runId}${SUFFIX}`);
  /** Our files (anything else in the folder is not ours to judge; a half-written file has the suffix too), untouched for `ms`. */
  const settled = (ms: number) => {
    const before = Date.now() - ms;
    return readdirSync(dir).filter((name) => name.endsWith(SUFFIX) && (ms === 0 || (statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < before));
  };
  return {
    dir,
    pathOf,
    remove(runId) {
      // Renamed now, unlinked on libuv's threads: freeing a file's cached pages took about a
      // millisecond per 10 MB in the request that replaced the run.
      const gone = join(dir, `${runId}-dropped${SUFFIX}`);
      try {
        renameSync(pathOf(runId), gone);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // no file: nothing to remove
        throw err;
      }
      // A plain unlink: the path is known to be a file, so fs.rm's recursive machinery is not needed.
      unlink(gone, () => undefined);
    },
    settledIds(untouchedForMs) {
      return settled(untouchedForMs).map((name) => name.slice(0, -SUFFIX.length));
    },
    removeOrphans(keep, untouchedForMs = 0) {
      for (const name of settled(untouchedForMs)) {
        if (!keep(name.slice(0, -SUFFIX.length))) rmSync(join(dir, name), { force: true });
      }
    },
    dispose: () => {
      if (temporary) rmSync(dir, { recursive: true, force: true });
    },
  };
}
