/**
 * Worker processes faulted from outside while the real server runs jobs:
 * SIGKILL mid-job with a job queued behind it, SIGKILL of one of two busy
 * workers, SIGSTOP mid-job (a hung worker that answers nothing), SIGKILL of
 * an idle worker. Each time only the job of the faulted worker fails, with a
 * message; the others finish; the next job runs; /healthz never fails.
 * (analysis-failures.int.test.ts covers the endless model's timeout and a
 * lone killed job; the pool's own tests cover a child that kills itself.)
 */
import type { Envelope, FeatureMapsResult, JobProgress } from '@cnnvis/protocol';
import type { ServerOptions } from 'cnnvis-server';
import { eventually, startServer, type TestServer } from '../../../../test/support/start-server';
import { call, connectSocket, record, type TestSocket } from '../../../../test/support/socket-client';
import { tensorInput, uploadModel } from '../../../../test/support/analysis';
import { busiestChild, childPids, slowLoopModel } from '../support/fault-injection';
import { pollHealth, type HealthStats } from '../support/health-poller';
import { endlessLoopModel, sobelModel } from '../../../../test/support/models';

let server: TestServer | undefined;
let socket: TestSocket | undefined;
let health: ReturnType<typeof pollHealth> | undefined;
let progress: Array<{ event: string; payload: unknown }> = [];
const healthTotals: HealthStats = { polls: 0, failures: 0, worstMs: 0 };
/** Per fault: how its job ended, how another job in flight ended, when the failure was reported, and how long the next job took. */
const figures: Array<{ fault: string; faulted: string; bystander: string; reportedMs: number | null; nextMs: number }> = [];

async function setUp(opts: Partial<ServerOptions>) {
  server = await startServer(opts);
  socket = await connectSocket(server.url);
  progress = record(socket, ['job:progress']);
  health = pollHealth(server.url);
  return {
    sobel: await uploadModel(server.url, sobelModel(4, 4)),
    endless: await uploadModel(server.url, endlessLoopModel()),
  };
}

afterEach(async () => {
  const stats = await health?.stop();
  if (stats) {
    healthTotals.polls += stats.polls;
    healthTotals.failures += stats.failures;
    healthTotals.worstMs = Math.max(healthTotals.worstMs, stats.worstMs);
    expect(stats.failures).toBe(0);
  }
  socket?.close();
  await server?.close();
  health = socket = server = undefined;
});

afterAll(() => {
  for (const f of figures) {
    const reported = f.reportedMs === null ? '-' : `${f.reportedMs.toFixed(0)} ms after the fault`;
    console.log(`${f.fault.padEnd(38)} faulted job: ${f.faulted.padEnd(14)} (${reported})  other job: ${f.bystander.padEnd(10)} next job ok in ${f.nextMs.toFixed(0)} ms`);
  }
  const faulted = figures.filter((f) => f.faulted !== '-');
  const bystanders = figures.filter((f) => f.bystander !== '-');
  console.log(
    `worker faults: ${figures.length} injected; ${faulted.filter((f) => f.faulted !== 'succeeded').length}/${faulted.length} faulted jobs failed with a message, ` +
      `${bystanders.filter((f) => f.bystander === 'completed').length}/${bystanders.length} other jobs completed, ` +
      `${figures.length}/${figures.length} next jobs ran; healthz failures ${healthTotals.failures} of ${healthTotals.polls} polls (worst ${healthTotals.worstMs.toFixed(0)} ms)`,
  );
});

const run = (modelId: string, input: ReturnType<typeof tensorInput>, jobId: string) =>
  call<FeatureMapsResult>(socket as TestSocket, 'analysis:run', { modelId, input, jobId });
const sobelInput = () => tensorInput(new Float32Array(16).fill(1), [1, 1, 4, 4]);
const scalarInput = () => tensorInput(Float32Array.of(0), [1]);

/** Resolves once job `jobId` has reached ONNX Runtime's run. */
const running = (jobId: string, timeoutMs = 30_000) =>
  eventually(() => progress.some((p) => (p.payload as JobProgress).jobId === jobId && (p.payload as JobProgress).stage === 'run'), timeoutMs);

function failure<T>(res: Envelope<T>, what: string): { code: string; message: string } {
  if (!('error' in res)) throw new Error(`${what} succeeded but should have failed`);
  return res.error;
}

function success<T>(res: Envelope<T>, what: string): T {
  if ('error' in res) throw new Error(`${what} failed: ${res.error.code} ${res.error.message}`);
  return res.data;
}

test('SIGKILL mid-job fails that job with a message; the job queued behind it runs on the fresh worker', async () => {
  const { sobel, endless } = await setUp({ workers: 1, jobTimeoutMs: 60_000 });
  success(await run(sobel, sobelInput(), 'warm'), 'the warm-up job');
  const doomed = run(endless, scalarInput(), 'doomed');
  const queued = run(sobel, sobelInput(), 'queued');
  await running('doomed');
  const [pid] = childPids();
  expect(childPids()).toHaveLength(1);
  const killedAt = performance.now();
  process.kill(pid as number, 'SIGKILL');

  const err = failure(await doomed, 'the killed job');
  const reportedMs = performance.now() - killedAt;
  expect(err.code).toBe('UNPROCESSABLE');
  expect(err.message).toMatch(/worker process was killed by SIGKILL while running the model/);
  expect(success(await queued, 'the queued job').layers).toHaveLength(2);
  const nextStart = performance.now();
  expect(success(await run(sobel, sobelInput(), 'next'), 'the next job').layers).toHaveLength(2);
  expect(childPids()).not.toContain(pid);
  figures.push({ fault: 'SIGKILL mid-job, 1 queued behind', faulted: err.code, bystander: 'completed', reportedMs, nextMs: performance.now() - nextStart });
});

test('two workers: SIGKILL of the one running job A leaves job B on the other to finish', async () => {
  const { sobel, endless } = await setUp({ workers: 2, jobTimeoutMs: 60_000 });
  // ~5 s of looping here (~1.3 s per million trips): B must outlast finding it busy and starting A.
  // Exact in float32 below 2^24, so its output still counts every trip.
  const trips = 4_000_000;
  const slow = await uploadModel((server as TestServer).url, slowLoopModel(trips));
  let bDone = false;
  const b = run(slow, scalarInput(), 'survivor').finally(() => (bDone = true));
  await running('survivor');
  const busyB = await busiestChild();
  expect(busyB.ticks).toBeGreaterThan(0);
  const a = run(endless, scalarInput(), 'doomed');
  await running('doomed');
  await eventually(() => childPids().length === 2, 10_000);
  const pidA = childPids().find((p) => p !== busyB.pid) as number;
  expect(bDone).toBe(false); // B must still be running when A's worker dies, or this proves nothing
  const killedAt = performance.now();
  process.kill(pidA, 'SIGKILL');

  const err = failure(await a, 'the killed job A');
  const reportedMs = performance.now() - killedAt;
  expect(bDone).toBe(false); // A's failure did not wait for B
  expect(err.code).toBe('UNPROCESSABLE');
  expect(err.message).toMatch(/killed by SIGKILL/);
  const result = success(await b, 'job B on the other worker');
  // The loop ran all its trips: B's worker was not disturbed.
  expect(result.layers.find((l) => l.node === 'spin')?.stats.max).toBe(trips);
  const nextStart = performance.now();
  expect(success(await run(sobel, sobelInput(), 'next'), 'the next job').layers).toHaveLength(2);
  figures.push({ fault: 'SIGKILL mid-job, 1 of 2 workers', faulted: err.code, bystander: 'completed', reportedMs, nextMs: performance.now() - nextStart });
});

test('a worker that hangs (SIGSTOP) with a job in flight fails that job with TIMEOUT at the job timeout; the next job runs', async () => {
  const timeoutMs = 3000;
  const { sobel } = await setUp({ workers: 1, jobTimeoutMs: timeoutMs });
  let started = performance.now();
  success(await run(sobel, sobelInput(), 'warm'), 'the warm-up job');
  const warmMs = performance.now() - started;
  // Control: the same job, on the same worker, takes a moment; stopped, it takes until the timeout.
  started = performance.now();
  success(await run(sobel, sobelInput(), 'control'), 'the control job');
  const controlMs = performance.now() - started;
  expect(controlMs).toBeLessThan(timeoutMs / 2);

  const [pid] = childPids();
  started = performance.now();
  const hung = run(sobel, sobelInput(), 'frozen');
  process.kill(pid as number, 'SIGSTOP'); // before the job can reach it: the worker takes it and never answers
  const err = failure(await hung, 'the job on the hung worker');
  const faultedAt = performance.now();
  const hungMs = faultedAt - started;
  expect(err.code).toBe('TIMEOUT');
  expect(err.message).toMatch(new RegExp(`longer than ${timeoutMs} ms`));
  expect(hungMs).toBeGreaterThanOrEqual(timeoutMs - 100);
  expect(hungMs).toBeLessThan(timeoutMs + 5000);
  started = performance.now();
  expect(success(await run(sobel, sobelInput(), 'next'), 'the next job').layers).toHaveLength(2);
  const nextMs = performance.now() - started;
  // The stopped process was killed, not left behind.
  await eventually(() => !childPids().includes(pid as number), 5000);
  console.log(`hung worker: warm-up ${warmMs.toFixed(0)} ms, control ${controlMs.toFixed(0)} ms, hung job failed after ${hungMs.toFixed(0)} ms (timeout ${timeoutMs} ms)`);
  figures.push({ fault: 'SIGSTOP with a job in flight (hung)', faulted: err.code, bystander: '-', reportedMs: hungMs, nextMs });
});

test('an idle worker killed between jobs is replaced; the next job, sent at once, runs', async () => {
  const { sobel } = await setUp({ workers: 1, jobTimeoutMs: 60_000 });
  success(await run(sobel, sobelInput(), 'warm'), 'the warm-up job');
  const [pid] = childPids();
  const killedAt = performance.now();
  process.kill(pid as number, 'SIGKILL');
  expect(success(await run(sobel, sobelInput(), 'next'), 'the job after the kill').layers).toHaveLength(2);
  expect(childPids()).not.toContain(pid);
  figures.push({ fault: 'SIGKILL of an idle worker', faulted: '-', bystander: '-', reportedMs: null, nextMs: performance.now() - killedAt });
});
