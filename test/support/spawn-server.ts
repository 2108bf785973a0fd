/**
 * The real `cnnvis-server` command as a child process, for tests that kill it,
 * signal it or check its exit. It runs the built bin (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestSchema, TEST_STORE } from './pg-schema';

export const BIN = join(__dirname, '..', '..', 'packages', 'server', 'bin', 'cnnvis-server.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The flags that serve the data in folder `dir` from the store the suite runs on: SQLite in the folder,
 * or with CNNVIS_TEST_STORE=postgres the folder's schema of the test database (the same on a restart).
 * @example spawnServer(['--port', '0', ...(await storeArgs(dir))])
 */
export async function storeArgs(dir: string): Promise<string[]> {
  return TEST_STORE === 'postgres' ? ['--data-dir', dir, '--database-url', (await createTestSchema(undefined, dir)).url] : ['--data-dir', dir];
}

/** Start the command with `args` and wait for its "listening on" line. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CNNVIS_NO_AUTO_BUILD: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m?.[1]) resolve({ child, url: m[1], stderr: () => err, exited });
    });
    void exited.then(({ code }) => reject(new Error(`cnnvis-server exited with ${code}: ${err}`)));
  });
}

/** Run the command to completion and collect its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CNNVIS_NO_AUTO_BUILD: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
