/**
 * The real `cnnvis-worker` command as a child process, for tests that kill
 * it. It runs the built bin (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'packages', 'worker', 'bin', 'cnnvis-worker.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** `host:pid`, as `/api/status` lists it. */
  id: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start the command with `args` and wait for its "taking jobs" line. */
export function spawnWorker(args: string[], env: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /cnnvis-worker (\S+) taking jobs/.exec(err);
      if (m?.[1]) resolve({ child, id: m[1], stderr: () => err, exited });
    });
    void exited.then(({ code }) => reject(new Error(`cnnvis-worker exited with ${code}: ${err}`)));
  });
}
