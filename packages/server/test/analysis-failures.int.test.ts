/**
 * Jobs that fail on their own: a model that never finishes (stopped at the
 * job timeout), a worker that dies mid-job, a full queue. Each fails only its
 * request, with a message and a code that is not INTERNAL, and the server
 * goes on answering and running other jobs.
 */
import type { FeatureMapsResult, JobProgress } from '@cnnvis/protocol';
import type { ServerOptions } from 'cnnvis-server';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { call, connectSocket, record, type TestSocket } from '../../../test/support/socket-client';
import { childPids, tensorInput, uploadModel } from '../../../test/support/analysis';
import { endlessLoopModel, sobelModel } from '../../../test/support/models';

let server: TestServer;
let socket: TestSocket;

async function setUp(opts: Partial<ServerOptions>): Promise<{ endless: string; sobel: string }> {
  server = await startServer(opts);
  socket = await connectSocket(server.url);
  return { endless: await uploadModel(server.url, endlessLoopModel()), sobel: await uploadModel(server.url, sobelModel(4, 4)) };
}
afterEach(async () => {
  socket?.close();
  await server?.close();
});

const runEndless = (modelId: string, jobId?: string) =>
  call<FeatureMapsResult>(socket, 'analysis:run', { modelId, input: tensorInput(new Float32Array([0]), [1]), ...(jobId ? { jobId } : {}) });
const runSobel = (modelId: string) =>
  call<FeatureMapsResult>(socket, 'analysis:run', { modelId, input: tensorInput(new Float32Array(16), [1, 1, 4, 4]) });

async function stillServing(sobel: string): Promise<void> {
  expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok');
  const res = await runSobel(sobel);
  if ('error' in res) throw new Error(`a healthy job failed after the bad one: ${res.error.message}`);
  expect(res.data.layers).toHaveLength(2);
}

test('a model that never finishes fails with TIMEOUT at the job timeout', async () => {
  const { endless, sobel } = await setUp({ jobTimeoutMs: 3000 });
  const res = await runEndless(endless);
  if (!('error' in res)) throw new Error('the endless model finished');
  expect(res.error.code).toBe('TIMEOUT');
  expect(res.error.message).toMatch(/3000 ms|3 s|timeout|time/i);
  await stillServing(sobel);
});

test('a worker that dies mid-job fails that job with UNPROCESSABLE and a message', async () => {
  const { endless, sobel } = await setUp({ jobTimeoutMs: 60_000 });
  const progress = record(socket, ['job:progress']);
  const pending = runEndless(endless, 'doomed');
  // Wait until the job has left the queue and runs inside a worker, then kill that worker.
  await eventually(() => progress.some((p) => (p.payload as JobProgress).stage !== 'queued') && childPids().length > 0, 30_000);
  for (const pid of childPids()) process.kill(pid, 'SIGKILL');
  const res = await pending;
  if (!('error' in res)) throw new Error('the job survived its worker');
  expect(res.error.code).toBe('UNPROCESSABLE');
  expect(res.error.message.length).toBeGreaterThan(10);
  await stillServing(sobel);
});

test('a full queue refuses the next job at once with UNAVAILABLE', async () => {
  const { endless } = await setUp({ workers: 1, maxQueuedJobs: 1, jobTimeoutMs: 60_000 });
  const running = runEndless(endless);
  const queued = runEndless(endless);
  // Both are accepted (one runs, one waits); give them a moment to reach the pool.
  await new Promise((r) => setTimeout(r, 300));
  const refused = await runEndless(endless);
  if (!('error' in refused)) throw new Error('a third job was accepted');
  expect(refused.error.code).toBe('UNAVAILABLE');
  expect(refused.error.message).toMatch(/queue/i);
  expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok');
  // The two accepted jobs never finish; closing the server (afterEach) stops their workers.
  void running;
  void queued;
});

test('--provider cuda where CUDA cannot run fails the job with UNAVAILABLE naming CUDA (or runs on CUDA)', async () => {
  const { sobel } = await setUp({ provider: 'cuda' });
  const res = await runSobel(sobel);
  if ('data' in res) {
    expect(res.data.provider).toBe('cuda'); // a machine with the CUDA provider and a GPU
    return;
  }
  expect(res.error.code).toBe('UNAVAILABLE');
  expect(res.error.message).toMatch(/CUDA/);
  const status = (await (await fetch(`${server.url}/api/status`)).json()) as { providers: { available: string[] } };
  expect(status.providers.available).not.toContain('cuda');
});
