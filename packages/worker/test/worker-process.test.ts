/**
 * A worker child starts with the pool's V8 flags (see WORKER_V8_FLAGS: the
 * old generation's growing factor, so a run's copied outputs cost a
 * scavenge rather than a mark-compact; and gc(), so a child frees an
 * uploaded model's bytes once parsed).
 */
import { join } from 'node:path';
import { spawnWorkerProcess, WORKER_V8_FLAGS } from '../src/pool/worker-process';

it('forks children with the worker V8 flags, beside the TypeScript loader', async () => {
  const lines: string[] = [];
  await new Promise<void>((resolve) => {
    spawnWorkerProcess(join(__dirname, 'support', 'flags-child.ts'), { onMessage: () => undefined, onExit: () => resolve(), log: (line) => lines.push(line) });
  });
  const execArgv = JSON.parse(lines.join('').replace(/^\d+: /, '')) as string[];
  expect(WORKER_V8_FLAGS).toEqual(['--heap-growing-percent=400', '--expose-gc']);
  expect(execArgv.slice(0, WORKER_V8_FLAGS.length)).toEqual(WORKER_V8_FLAGS);
  expect(execArgv).toContain('--import');
});
