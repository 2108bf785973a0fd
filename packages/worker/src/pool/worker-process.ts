/**
 * One worker child process; its output goes line by line to the pool's log, the last lines
 * kept to explain a crash.
 * @module
 */
import { fork } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { profileDirPrefix } from '../runtime/profile-dir';
import type { ChildMessage, ParentMessage } from './child-messages';

const TAIL_CHARS = 2000;

export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: ParentMessage): void;
  /** Kills the process at once (SIGKILL): a hung native call ignores anything gentler. */
  kill(): void;
  /** Asks the process to exit and resolves when it has (SIGKILL after `graceMs`). */
  stop(graceMs: number): Promise<void>;
  /** The last stderr output, for crash messages. */
  stderrTail(): string;
}

/**
 * V8 flags of every worker child. ORT's binding copies every fetched tensor, so on the default
 * heap limit every run would start a mark-compact; a limit of 5× the live heap leaves a scavenge.
 */
export const WORKER_V8_FLAGS: readonly string[] = [
  '--heap-growing-percent=400',
  // gc(), for a child to free an uploaded model's bytes once it has parsed them (see child-loop.ts).
  '--expose-gc',
];

/** The child entry beside this module: `.ts` under tsx or jest, `.js` from dist. */
export function defaultChildModule(): string {
  return join(__dirname, `child-main${extname(__filename)}`);
}

/** Forks `entry` (a `.ts` entry runs under tsx). */
export function spawnWorkerProcess(
  entry: string,
  handlers: { onMessage(m: ChildMessage): void; onExit(code: number | null, signal: NodeJS.Signals | null): void; log(line: string): void },
): WorkerProcess {
  const execArgv = [...WORKER_V8_FLAGS, ...(entry.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [])];
  const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let tail = '';
  let partial = '';
  const onOutput = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) handlers.log(`${child.pid ?? '?'}: ${line}`);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.on('message', (m: ChildMessage) => handlers.onMessage(m));
  child.on('error', (err) => handlers.log(`${child.pid ?? '?'}: ${err.message}`));
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      if (partial.trim()) handlers.log(`${child.pid ?? '?'}: ${partial}`);
      if (child.pid !== undefined) removeProfileDirs(child.pid);
      handlers.onExit(code, signal);
      resolve();
    });
  });
  return {
    pid: child.pid,
    send(m) {
      // A child that already died cannot take the message; its exit handler fails the job.
      if (child.connected) child.send(m, (err) => err && handlers.log(`${child.pid ?? '?'}: ${err.message}`));
    },
    kill: () => void child.kill('SIGKILL'),
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect(); // the child exits when its channel closes
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    stderrTail: () => tail.trim(),
  };
}

/** The profile folders a child left behind (killed mid-run, it could not remove them itself). */
function removeProfileDirs(pid: number): void {
  const prefix = profileDirPrefix(pid);
  try {
    for (const name of readdirSync(tmpdir())) if (name.startsWith(prefix)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  } catch {
    // the temp dir is unreadable: nothing we made can be there either
  }
}
