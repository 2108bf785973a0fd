/**
 * Attribution on fixtures made by fixtures-src/make-attribution-fixtures.py:
 * occlusion finds exactly the quadrant a model reads, Score-CAM's channel
 * weights match numpy's, batched and one-at-a-time passes agree, and the pool
 * runs attribution jobs with progress, the pass limit and the timeout.
 */
import { readFileSync } from 'node:fs';
import { attributeModel, clearModelCache, createWorkerPool, type AttributionProgress, type WorkerPool } from '../src';
import { fixtureModel, fixturePath } from './support/fixtures';

const quadrant = fixtureModel('quadrant.onnx');
const linearCam = fixtureModel('linear-cam.onnx');
const camRef = JSON.parse(readFileSync(fixturePath('linear-cam-reference.json'), 'utf8')) as {
  input: { shape: number[]; data: number[] };
  layer: string;
  target: number;
  score: number;
  scores: number[];
  weights: number[];
  cam: number[];
};

/** A seeded 1×1×16×16 input with no zeros, so any occluded pixel changes. */
function quadrantInput() {
  let s = 7;
  const data = Float32Array.from({ length: 256 }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return 0.5 + s / 2 ** 31;
  });
  return { data, shape: [1, 1, 16, 16] };
}

afterAll(() => clearModelCache());

describe('occlusion', () => {
  it('is non-zero only over the quadrant the model reads, batched or not', async () => {
    const job = { ...quadrant, input: quadrantInput(), method: 'occlusion' as const, patch: 4, stride: 4, provider: 'cpu' as const };
    const batched = await attributeModel({ ...job, batch: 5 });
    expect(batched).toMatchObject({ passes: 16, runs: 4, batch: 5, shape: [16, 16], patch: 4, stride: 4, fill: 0 });
    let inside = 0;
    batched.heatmap.forEach((v, i) => {
      const [y, x] = [Math.floor(i / 16), i % 16];
      if (y < 8 && x < 8) inside += v !== 0 ? 1 : 0;
      else expect(v).toBe(0);
    });
    expect(inside).toBe(64);
    const single = await attributeModel({ ...job, batch: 1 });
    expect(single.runs).toBe(16);
    expect(Array.from(single.heatmap)).toEqual(Array.from(batched.heatmap).map((v) => expect.closeTo(v, 5)));
  });

  it('explains the top-1 class by default and a given target when asked', async () => {
    const input = quadrantInput();
    const top = await attributeModel({ ...quadrant, input, method: 'occlusion', patch: 8, stride: 8, provider: 'cpu' });
    const other = (top.target + 1) % 4;
    const given = await attributeModel({ ...quadrant, input, method: 'occlusion', patch: 8, stride: 8, target: other, provider: 'cpu' });
    expect(given.target).toBe(other);
    expect(given.score).toBeLessThanOrEqual(top.score);
  });
});

describe('Score-CAM', () => {
  it("weighs each channel as numpy does (fixed batch: one pass at a time)", async () => {
    const out = await attributeModel({ ...linearCam, input: { data: Float32Array.from(camRef.input.data), shape: camRef.input.shape }, method: 'score-cam', provider: 'cpu' });
    expect(out).toMatchObject({ target: camRef.target, layer: '/conv/Conv_output_0', passes: 4, runs: 4, batch: 1, shape: [8, 8] });
    expect(out.score).toBeCloseTo(camRef.score, 4);
    const near = (got: Float32Array | undefined, want: number[]) => want.forEach((v, k) => expect(Math.abs((got?.[k] ?? NaN) - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    near(out.scores, camRef.scores);
    near(out.weights, camRef.weights);
    camRef.cam.forEach((v, i) => expect(Math.abs((out.heatmap[i] as number) - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
  });

  it("weighs a ResNet's last block output by default (past the conv's add and ReLU)", async () => {
    const data = Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i / 7));
    const out = await attributeModel({ ...fixtureModel('resnet18-small.onnx'), input: { data, shape: [1, 3, 64, 64] }, method: 'score-cam', batch: 32, provider: 'cpu' });
    expect(out.layer).toMatch(/^\/layer4\/layer4\.1\/.*Relu/);
    expect(out.weights?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(out).toMatchObject({ batch: 32, runs: Math.ceil(out.passes / 32) });
    expect(out.heatmap.some((v) => v > 0)).toBe(true);
  });

  it('names a layer that does not exist', async () => {
    await expect(attributeModel({ ...linearCam, input: { data: Float32Array.from(camRef.input.data), shape: camRef.input.shape }, method: 'score-cam', layer: 'nope', provider: 'cpu' })).rejects.toThrow(
      "no layer matches 'nope'",
    );
  });
});

describe('attribution in the pool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('reports the planned passes before the first, then each one', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log: () => undefined });
    const progress: AttributionProgress[] = [];
    const out = await pool.attribute({ ...quadrant, input: quadrantInput(), method: 'occlusion', patch: 4, stride: 4, batch: 8 }, (p) => progress.push(p));
    expect(out.heatmap).toBeInstanceOf(Float32Array);
    expect(out.picture).toMatchObject({ width: 16, height: 16, channels: 1 });
    const passes = progress.flatMap((p) => (p.passes ? [p.passes] : []));
    expect(passes).toEqual([{ done: 0, total: 16 }, { done: 8, total: 16 }, { done: 16, total: 16 }]);
  });

  it('refuses a job past maxPasses before running it, and stops one past the timeout', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log: () => undefined });
    const job = { ...quadrant, input: quadrantInput(), method: 'occlusion' as const, patch: 1, stride: 1 };
    await expect(pool.attribute({ ...job, maxPasses: 100 })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('256 perturbed inputs, more than maxPasses (100)') });
    await pool.close();
    pool = createWorkerPool({ size: 1, timeoutMs: 1, maxQueue: 4, provider: 'cpu', log: () => undefined });
    await expect(pool.attribute(job)).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('the attribution ran longer than 1 ms') });
  });
});
