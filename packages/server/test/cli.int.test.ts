/**
 * The `cnnvis-server` command: flags, environment variables, clear errors
 * and a clean shutdown on signals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as listen } from 'node:net';
import { runCli, spawnServer } from '../../../test/support/spawn-server';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('--help lists every flag with its environment variable', async () => {
  const { code, stdout } = await runCli(['--help']);
  expect(code).toBe(0);
  for (const text of ['--port', 'CNNVIS_PORT', '--host', 'CNNVIS_HOST', '--data-dir', 'CNNVIS_DATA_DIR', '--version']) {
    expect(stdout).toContain(text);
  }
});

test('--version prints the version', async () => {
  const { code, stdout } = await runCli(['--version']);
  expect(code).toBe(0);
  expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
});

test.each([
  [['--port', 'abc'], {}, /--port must be an integer from 0 to 65535 \(got "abc"\)/],
  [['--port', '70000'], {}, /--port must be an integer/],
  [[], { CNNVIS_PORT: '-1' }, /CNNVIS_PORT must be an integer/],
  [['--bogus'], {}, /Unknown option '--bogus'/],
  [['--log-level', 'loud'], {}, /--log-level must be silent, info or debug/],
  [['--max-payload', 'lots'], {}, /--max-payload must be a size/],
])('bad flag %p %p exits 2 with a clear message', async (args, env, message) => {
  const { code, stderr } = await runCli(args, { ...env, CNNVIS_DATA_DIR: dir });
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
});

test('a data dir that is a file is refused', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const { code, stderr } = await runCli(['--data-dir', file]);
  expect(code).toBe(2);
  expect(stderr).toContain('is a file, not a folder');
});

test('a port in use is reported as such', async () => {
  const blocker = listen().listen(0, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const port = (blocker.address() as { port: number }).port;
  const { code, stderr } = await runCli(['--port', String(port), '--data-dir', dir]);
  blocker.close();
  expect(code).toBe(1);
  expect(stderr).toContain(`port ${port} is already in use`);
});

test('an unreachable --redis-url is reported as such', async () => {
  const probe = listen().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const { code, stderr } = await runCli(['--port', '0', '--data-dir', dir, '--redis-url', `redis://127.0.0.1:${port}`]);
  expect(code).toBe(1);
  expect(stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port} (--redis-url): connect ECONNREFUSED`);
  expect(stderr).not.toMatch(/unhandled/i);
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s shuts down cleanly', async (signal) => {
  const server = await spawnServer([], { CNNVIS_PORT: '0', CNNVIS_DATA_DIR: dir });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  server.child.kill(signal);
  expect(await server.exited).toEqual({ code: 0, signal: null });
  expect(server.stderr()).toContain(`${signal} received, shutting down`);
});

test('a second server on the same data dir is refused with a clear message', async () => {
  const first = await spawnServer(['--port', '0', '--data-dir', dir]);
  try {
    const { code, stderr } = await runCli(['--port', '0', '--data-dir', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('is in use by another cnnvis-server');
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
  }
});
