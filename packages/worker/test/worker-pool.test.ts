/**
 * The pool: jobs, uploads' parses and filter reads run in child processes; a hung job is killed at the timeout
 * and the next job runs; a child that dies fails only its own job; a full
 * queue rejects at once; errors keep their codes across the process boundary.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkerPool, ModelError, readChannelStats, type AnalyzeProgress, type FileChannels, type PoolJob, type WorkerPool } from '../src';
import { CRASH_MODEL_ID } from './support/crash-child';
import { createModelDir, fixtureModel, readReference } from './support/fixtures';
import { endlessLoopModel, resnetNamedModel, sobelModel, unsupportedOpModel } from '../../../test/support/test-models';

const models = createModelDir();
const logs: string[] = [];
const log = (line: string) => void logs.push(line);
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});
afterAll(() => models.cleanup());

const ref = readReference('convnet');
const convnetJob: PoolJob = {
  ...fixtureModel('convnet.onnx'),
  input: { data: Float32Array.from(ref.input.data), shape: ref.input.shape },
  maxChannels: 4,
};
const sobelJob = (): PoolJob => ({ ...models.write(sobelModel(8, 8)), input: { data: new Float32Array(64).fill(1), shape: [1, 1, 8, 8] }, maxChannels: 2 });
const endlessJob = (): PoolJob => ({ ...models.write(endlessLoopModel()), input: { data: Float32Array.of(0), shape: [1] }, maxChannels: 1 });

describe('createWorkerPool', () => {
  it('runs a job in a child, reports progress, and returns typed arrays intact', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const progress: AnalyzeProgress[] = [];
    const out = await pool.run(convnetJob, (p) => progress.push(p));
    expect(out.provider).toBe('cpu');
    expect(out.layers.map((l) => l.op)).toEqual(['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm', 'Relu', 'Gemm']);
    expect(out.maps[1]?.data).toBeInstanceOf(Uint8Array);
    expect(out.maps[1]?.channelMin).toBeInstanceOf(Float32Array);
    expect(out.maps[1]?.shape).toEqual([4, 28, 28]);
    expect(progress.map((p) => p.stage)).toEqual(['load', 'session', 'input', 'run', 'stats', 'stats']);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(pool.providers().available).toEqual(['cpu']);
  });

  it("with a mapsPath, writes the maps to that file and returns where each lies, then the statistics after them: the bytes equal the in-memory ones", async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const dir = mkdtempSync(join(tmpdir(), 'cnnvis-maps-'));
    try {
      const inMemory = await pool.run(convnetJob);
      const mapsPath = join(dir, 'run.maps');
      const spilled = await pool.run({ ...convnetJob, mapsPath });
      expect(spilled.maps).toEqual([]);
      const file = readFileSync(mapsPath);
      expect(spilled.mapRanges?.map((r) => r.tensor)).toEqual(inMemory.maps.map((m) => m.tensor));
      const mapBytes = inMemory.maps.reduce((n, m) => n + m.data.byteLength, 0);
      // The statistics follow the maps in the file and stay there; the pool says where.
      expect(spilled.packedChannels).toBeUndefined();
      expect(spilled.channelsInFile).toEqual({ channelCounts: inMemory.packedChannels?.channelCounts, statsAt: mapBytes });
      expect(readChannelStats(mapsPath, spilled.channelsInFile as FileChannels)).toEqual(inMemory.packedChannels);
      expect(file.byteLength).toBe(mapBytes + (inMemory.packedChannels?.channelStats.byteLength ?? NaN));
      inMemory.maps.forEach((m, i) => {
        const r = spilled.mapRanges?.[i];
        if (r === undefined) throw new Error(`no range for ${m.tensor}`);
        expect({ shape: r.shape, min: Array.from(r.channelMin), max: Array.from(r.channelMax) }).toEqual({ shape: m.shape, min: Array.from(m.channelMin), max: Array.from(m.channelMax) });
        expect(new Uint8Array(file.subarray(r.offset, r.offset + r.length))).toEqual(m.data);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the job with a message naming the path when the maps file cannot be written', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const mapsPath = join(tmpdir(), 'cnnvis-no-such-dir', 'sub', 'run.maps');
    await expect(pool.run({ ...convnetJob, mapsPath })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining(mapsPath) });
  });

  it('keeps error codes across the process boundary', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const err = await pool.run({ ...models.write(unsupportedOpModel()), input: { data: new Float32Array(4), shape: [1, 4] }, maxChannels: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/FrobnicateTensor/) });
  });

  it("parses a model file in a child, queued with the jobs: the graph, or the parser's own error and code", async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const running = pool.run(sobelJob());
    const { modelPath, modelId } = models.write(sobelModel(8, 8));
    const graph = await pool.parse(modelPath, modelId);
    await running;
    expect(graph.modelId).toBe(modelId);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Conv', 'Relu']);
    const truncated = models.write(sobelModel(8, 8).subarray(0, 60));
    const err = await pool.parse(truncated.modelPath, truncated.modelId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ code: 'BAD_MODEL', message: expect.stringMatching(/truncated/) });
    await expect(pool.parse(join(tmpdir(), 'cnnvis-no-such-model.onnx'), 'f'.repeat(64))).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it("reads a model's conv filters in a child, from its weights alone: a model ONNX Runtime cannot open still has them", async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    const [set] = await pool.filters({ ...models.write(sobelModel(8, 8)), nodes: ['/sobel/conv/Conv'] });
    expect(set).toMatchObject({ node: '/sobel/conv/Conv', shape: [2, 1, 3, 3], min: -2, max: 2 });
    expect(set?.data).toBeInstanceOf(Uint8Array);
    expect(set?.data[0]).toBe(64); // SOBEL_X[0] = -1, a quarter of the way from -2 to 2
    const resnet = models.write(resnetNamedModel());
    const sets = await pool.filters({ ...resnet, nodes: ['/conv1/Conv', '/layer2/layer2.0/conv1/Conv', '/relu/Relu'] });
    expect(sets.map((f) => [f.node, f.shape])).toEqual([
      ['/conv1/Conv', [4, 3, 3, 3]],
      ['/layer2/layer2.0/conv1/Conv', [4, 4, 3, 3]],
    ]);
    await expect(pool.run({ ...resnet, input: { data: new Float32Array(48), shape: [1, 3, 4, 4] }, maxChannels: 1 })).rejects.toThrow();
  });

  it('kills a job that runs past the timeout, and the next job runs', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 2_000, maxQueue: 4, provider: 'cpu', log });
    const started = Date.now();
    const hung = pool.run(endlessJob());
    const next = pool.run(sobelJob());
    await expect(hung).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/longer than 2000 ms/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    const out = await next;
    expect(out.layers.map((l) => l.op)).toEqual(['Conv', 'Relu']);
  });

  it('rejects with QUEUE_FULL when every child is busy and the queue is full', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 2_000, maxQueue: 1, provider: 'cpu', log });
    await pool.run(sobelJob()); // the child is up and ready
    const hung = pool.run(endlessJob());
    const queued = pool.run(sobelJob());
    await expect(pool.run(sobelJob())).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await expect(hung).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(queued).resolves.toMatchObject({ provider: 'cpu' });
  });

  it('a child that dies fails only its own job, and is replaced', async () => {
    pool = createWorkerPool({ size: 2, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log, childModule: join(__dirname, 'support', 'crash-child.ts') });
    const crash: PoolJob = { ...sobelJob(), modelId: CRASH_MODEL_ID };
    const [crashed, fine] = await Promise.allSettled([pool.run(crash), pool.run(convnetJob)]);
    expect(crashed).toMatchObject({ status: 'rejected', reason: { code: 'WORKER_CRASHED' } });
    const reason = (crashed as PromiseRejectedResult).reason as Error;
    expect(reason.message).toMatch(/killed by SIGKILL while running the model \(about to die\)/);
    expect(fine.status).toBe('fulfilled');
    await expect(pool.run(sobelJob())).resolves.toMatchObject({ provider: 'cpu' });
    await expect(pool.run(convnetJob)).resolves.toMatchObject({ provider: 'cpu' });
    expect(logs.some((l) => l.endsWith(': about to die'))).toBe(true);
  });

  it('close fails queued and running jobs with CLOSED, and later runs too', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log });
    await pool.run(sobelJob()); // the child is up, so the next job runs rather than waits
    const running = pool.run(endlessJob()).catch((e: unknown) => e);
    const queued = pool.run(sobelJob()).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await pool.close();
    expect(await running).toMatchObject({ code: 'CLOSED', message: expect.stringMatching(/while the job ran/) });
    expect(await queued).toMatchObject({ code: 'CLOSED', message: expect.stringMatching(/before the job started/) });
    await expect(pool.run(sobelJob())).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
