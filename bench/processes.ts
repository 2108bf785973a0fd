/**
 * Child processes for the benchmark: the real server and the echo limit,
 * each in its own process so client and server each get a core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export interface Child {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function started(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, toUrl: (m: RegExpExecArray) => string): Promise<Child> {
  let text = '';
  return new Promise((resolve, reject) => {
    child[stream]?.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) {
        resolve({
          child,
          url: toUrl(m),
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${text}`)));
  });
}

/**
 * The real `cnnvis-server` command, built. `nodeArgs` e.g. `['--cpu-prof']` to profile it;
 * `serverArgs` are extra flags such as `['--provider', 'cuda']`.
 */
export function startCnnvis(dataDir: string, nodeArgs: string[] = [], serverArgs: string[] = []): Promise<Child> {
  const bin = join(ROOT, 'packages', 'server', 'bin', 'cnnvis-server.js');
  const child = spawn(process.execPath, [...nodeArgs, bin, '--port', '0', '--data-dir', dataDir, '--log-level', 'silent', ...serverArgs], {
    env: { ...process.env, CNNVIS_NO_AUTO_BUILD: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return started(child, 'stderr', /listening on (http:\/\/\S+)/, (m) => m[1] ?? '');
}

/** The bare socket.io echo server; `nodeArgs` e.g. `['--cpu-prof']` to profile it. */
export function startEcho(nodeArgs: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(__dirname, 'echo-server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return started(child, 'stdout', /^(\d+)\n/, (m) => `http://127.0.0.1:${m[1]}`);
}

/** Resident memory of a process, in MiB (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
