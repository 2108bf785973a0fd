/**
 * Pool faults that worker-pool.test.ts does not cover: a model that fills
 * memory past the pool's limit is stopped with OUT_OF_MEMORY before it
 * drags the machine down, and a child that dies before it takes a job (it
 * was killed while idle, the job already on its way) does not fail that job.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createWorkerPool, type PoolJob, type WorkerPool } from '../src';
import { createModelDir } from './support/fixtures';
import { buildModel, int64Tensor, node, valueInfo } from '../../../test/support/onnx-builder';
import { sobelModel } from '../../../test/support/test-models';

const models = createModelDir();
const logs: string[] = [];
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});
afterAll(() => models.cleanup());

const sobelJob = (): PoolJob => ({ ...models.write(sobelModel(8, 8)), input: { data: new Float32Array(64).fill(1), shape: [1, 1, 8, 8] }, maxChannels: 2 });

/** ConstantOfShape to `values` floats, summed into y: the runtime must really allocate and fill them. */
function fillMemoryModel(values: number): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', 'float', [1])],
    outputs: [valueInfo('y', 'float', null)],
    initializers: [int64Tensor('dims', [1], [values])],
    nodes: [
      node('ConstantOfShape', ['dims'], ['huge'], {}, 'fill'),
      node('ReduceSum', ['huge'], ['total'], { keepdims: 1 }, 'sum'),
      node('Add', ['x', 'total'], ['y'], {}, 'add'),
    ],
  });
}

/** This process's child processes. */
function childPids(): number[] {
  return readdirSync(`/proc/${process.pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

const linux = process.platform === 'linux' ? describe : describe.skip;

linux('pool faults', () => {
  it('stops a job whose child passes the memory limit with OUT_OF_MEMORY, and the next job runs', async () => {
    const limit = 300 * 2 ** 20;
    pool = createWorkerPool({ size: 1, timeoutMs: 60_000, maxQueue: 4, provider: 'cpu', maxMemoryBytes: limit, log: (l) => void logs.push(l) });
    await pool.run(sobelJob()); // started and warm: its own footprint is under the limit
    const started = Date.now();
    // 1 GB of floats: under any overcommit rule, so the runtime really fills it.
    const hog: PoolJob = { ...models.write(fillMemoryModel(250_000_000)), input: { data: Float32Array.of(1), shape: [1] }, maxChannels: 1 };
    const err = await pool.run(hog).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    const ms = Date.now() - started;
    console.log(`memory hog (1 GB fill, limit 300 MiB): ${err?.code} after ${ms} ms: ${err?.message}`);
    expect(err).toMatchObject({ code: 'OUT_OF_MEMORY', message: expect.stringMatching(/more than a worker may use \(300 MiB\)/) });
    expect(logs.some((l) => /more than a worker may use/.test(l))).toBe(true);
    await expect(pool.run(sobelJob())).resolves.toMatchObject({ provider: 'cpu' });
  });

  it('a job sent to a child that was killed while idle runs on its replacement', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log: (l) => void logs.push(l) });
    await pool.run(sobelJob());
    const [pid] = childPids();
    expect(childPids()).toHaveLength(1);
    // Killed now, its exit not yet seen by the pool: the job goes to the dead child first.
    process.kill(pid as number, 'SIGKILL');
    const out = await pool.run(sobelJob());
    expect(out.layers.map((l) => l.op)).toEqual(['Conv', 'Relu']);
    expect(childPids()).not.toContain(pid);
  });
});
