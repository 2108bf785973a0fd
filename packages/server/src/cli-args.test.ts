import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from './cli-args';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cnnvis-cli-args-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serve = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const cmd = parseCli(argv, { CNNVIS_DATA_DIR: dir, ...env });
  if (cmd.kind !== 'serve') throw new Error('expected serve');
  return cmd.options;
};

test('analysis flags: provider, model size, job timeout and workers, from flags or the environment', () => {
  expect(serve(['--provider', 'cpu', '--max-model-size', '500mb', '--job-timeout', '90s', '--workers', '2'])).toMatchObject({
    provider: 'cpu',
    maxModelBytes: 500 * 1024 ** 2,
    jobTimeoutMs: 90_000,
    workers: 2,
  });
  expect(
    serve([], { CNNVIS_PROVIDER: 'cuda', CNNVIS_MAX_MODEL_SIZE: '1gb', CNNVIS_JOB_TIMEOUT: '5m', CNNVIS_WORKERS: '3' }),
  ).toMatchObject({ provider: 'cuda', maxModelBytes: 1024 ** 3, jobTimeoutMs: 300_000, workers: 3 });
  expect(serve(['--job-timeout', '1500ms'], { CNNVIS_JOB_TIMEOUT: '5m' }).jobTimeoutMs).toBe(1500);
  expect(serve(['--max-concurrent-uploads', '2']).maxConcurrentUploads).toBe(2);
  expect(serve([], { CNNVIS_MAX_CONCURRENT_UPLOADS: '8' }).maxConcurrentUploads).toBe(8);
  expect(serve(['--max-runs-per-window', '8']).maxRunsPerWindow).toBe(8);
  expect(serve([], { CNNVIS_MAX_RUNS_PER_WINDOW: '2' }).maxRunsPerWindow).toBe(2);
  expect(() => serve(['--max-runs-per-window', '0'])).toThrow(/max-runs-per-window/);
  expect(serve(['--job-timeout', '20']).jobTimeoutMs).toBe(20_000);
  expect(serve(['--workers', '0', '--redis-url', 'redis://10.0.0.2:6379', '--job-queue', 'team-a'])).toMatchObject({ workers: 0, redisUrl: 'redis://10.0.0.2:6379', jobQueue: 'team-a' });
  expect(serve([], { CNNVIS_REDIS_URL: 'rediss://r:6380', CNNVIS_JOB_QUEUE: 'q' })).toMatchObject({ redisUrl: 'rediss://r:6380', jobQueue: 'q' });
});

test.each([
  [['--provider', 'tpu'], /--provider must be auto, cuda or cpu \(got "tpu"\)/],
  [['--max-model-size', 'huge'], /--max-model-size must be a size/],
  [['--job-timeout', 'soon'], /--job-timeout must be a duration of at least 100ms, like 90s or 5m \(got "soon"\)/],
  [['--job-timeout', '10ms'], /--job-timeout must be a duration/],
  [['--workers', '65'], /--workers must be an integer from 0 to 64 \(got "65"\)/],
  [['--job-queue', 'a b'], /--job-queue must be 1-64 letters/],
  [['--workers', '1.5'], /--workers must be an integer/],
  [['--max-concurrent-uploads', '0'], /--max-concurrent-uploads must be a whole number of at least 1 \(got "0"\)/],
  [['--redis-url', '127.0.0.1:6379'], /--redis-url must be a URL like redis:\/\/127.0.0.1:6379 \(got "127.0.0.1:6379"\)/],
])('%p is refused with a message naming the flag', (argv, message) => {
  expect(() => serve(argv)).toThrow(message);
});

test('access flags and the worker memory limit, from flags or the environment', () => {
  expect(serve(['--token', 'a-long-enough-token', '--readonly', '--insecure', '--max-worker-memory', '8gb'])).toMatchObject({
    token: 'a-long-enough-token',
    readonly: true,
    insecure: true,
    maxWorkerMemoryBytes: 8 * 1024 ** 3,
  });
  expect(serve([], { CNNVIS_TOKEN: 'from-the-environment', CNNVIS_READONLY: '1', CNNVIS_INSECURE: 'no' })).toMatchObject({
    token: 'from-the-environment',
    readonly: true,
    insecure: false,
  });
  expect(serve([])).toMatchObject({ readonly: false, insecure: false });
  expect(serve([], { CNNVIS_REDIS_URL: 'redis://cache:6379/2' }).redisUrl).toBe('redis://cache:6379/2');
  expect(serve(['--redis-url', 'rediss://r.example:6380'], { CNNVIS_REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('rediss://r.example:6380');
  expect(serve([]).token).toBeUndefined();
  expect(() => serve(['--token', ' padded-token-here '])).toThrow(/at least 16 characters with no surrounding spaces/);
});
