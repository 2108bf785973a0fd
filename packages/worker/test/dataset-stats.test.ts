/**
 * Statistics over a dataset on the fixture of
 * fixtures-src/make-attribution-fixtures.py: a ReLU channel with bias −100
 * is dead on every input, a Clip layer's saturation matches numpy, batched
 * and one-at-a-time runs agree, and the pool runs the job with progress.
 */
import { readFileSync } from 'node:fs';
import { clearModelCache, createWorkerPool, datasetStats, type DatasetLayer, type DatasetProgress, type WorkerPool } from '../src';
import { fixtureModel, fixturePath } from './support/fixtures';

const model = fixtureModel('dead-clip.onnx');
const ref = JSON.parse(readFileSync(fixturePath('dead-clip-reference.json'), 'utf8')) as {
  inputs: { shape: number[]; data: number[][] };
  relu: { tensor: string; dead: number[] };
  clip: { tensor: string; bounds: [number, number]; saturated: number[]; mean: number[] };
};
const inputs = ref.inputs.data.map((d) => ({ data: Float32Array.from(d), shape: ref.inputs.shape }));
const layer = (layers: DatasetLayer[], tensor: string) => layers.find((l) => l.tensor === tensor) as DatasetLayer;

afterAll(() => clearModelCache());

describe('datasetStats', () => {
  it('finds the ReLU channel with bias −100 dead on 100% of inputs, and the Clip saturation numpy finds', async () => {
    const out = await datasetStats({ ...model, inputs, batch: 5, topK: 3, provider: 'cpu' });
    expect(out).toMatchObject({ inputs: 12, batch: 5, runs: 3, topK: 3 });
    const relu = layer(out.layers, ref.relu.tensor);
    expect(Array.from(relu.dead)).toEqual(ref.relu.dead);
    expect(relu.dead[2]).toBe(1);
    expect(relu.zeros[2]).toBe(1);
    expect(relu.saturated).toBeUndefined();
    const clip = layer(out.layers, ref.clip.tensor);
    expect(clip.bounds).toEqual(ref.clip.bounds);
    ref.clip.saturated.forEach((s, c) => expect(clip.saturated?.[c]).toBeCloseTo(s, 9));
    ref.clip.mean.forEach((m, c) => expect(clip.mean[c]).toBeCloseTo(m, 5));
    expect(Array.from(clip.nan)).toEqual([0, 0, 0, 0]);
    // Top-3 inputs per channel: distinct, in range, highest mean first.
    for (let c = 0; c < 4; c++) {
      const top = Array.from(clip.top.subarray(c * 3, c * 3 + 3));
      expect(new Set(top).size).toBe(3);
      expect(top.every((i) => i >= 0 && i < 12)).toBe(true);
      // Highest mean first, and each top input has its thumbnail.
      const means = Array.from(clip.topMean ?? []).slice(c * 3, c * 3 + 3);
      expect([...means].sort((a, b) => b - a)).toEqual(means);
      for (const i of top) expect(out.thumbnails.find((t) => t.input === i)?.thumbnail).toMatchObject({ width: 8, height: 8, channels: 1 });
    }
    expect(out.thumbnails.length).toBeLessThanOrEqual(12);
  });

  it('gives the same totals one input at a time', async () => {
    const batched = await datasetStats({ ...model, inputs, batch: 12, provider: 'cpu' });
    const single = await datasetStats({ ...model, inputs, batch: 1, provider: 'cpu' });
    expect(single.runs).toBe(12);
    const [a, b] = [layer(batched.layers, ref.clip.tensor), layer(single.layers, ref.clip.tensor)];
    expect(Array.from(b.saturated ?? [])).toEqual(Array.from(a.saturated ?? []));
    Array.from(a.std).forEach((s, c) => expect(b.std[c]).toBeCloseTo(s, 5));
    expect(Array.from(b.top)).toEqual(Array.from(a.top));
  });

  it('names an input that does not fit', async () => {
    const odd = [...inputs.slice(0, 2), { data: new Float32Array(16), shape: [1, 1, 4, 4] }];
    await expect(datasetStats({ ...model, inputs: odd, provider: 'cpu' })).rejects.toThrow(/input shape \[1, 1, 4, 4\] does not fit the model's input/);
  });
});

describe('dataset statistics in the pool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('reports the inputs done of those given', async () => {
    pool = createWorkerPool({ size: 1, timeoutMs: 30_000, maxQueue: 4, provider: 'cpu', log: () => undefined });
    const progress: DatasetProgress[] = [];
    const out = await pool.dataset({ ...model, inputs, batch: 8 }, (p) => progress.push(p));
    expect(layer(out.layers, ref.relu.tensor).dead).toBeInstanceOf(Float64Array);
    expect(progress.flatMap((p) => (p.passes ? [p.passes] : []))).toEqual([{ done: 0, total: 12 }, { done: 8, total: 12 }, { done: 12, total: 12 }]);
  });
});
