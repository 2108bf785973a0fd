/**
 * The seed's small ConvNet (conv 1→32 3×3 pad 1, ReLU, max-pool 2,
 * fc 6272→128, ReLU, fc 128→10 on 1×28×28), exported from PyTorch with seeded
 * weights: the model the example and the benchmark run.
 */
import { readFileSync } from 'node:fs';
import { analyzeModel, clearModelCache, createBareRunner, parseModel, type AnalyzeOutput } from '../src';
import { fixtureModel, readReference } from './support/fixtures';

const ref = readReference('convnet');
const model = fixtureModel('convnet.onnx');
const input = { data: Float32Array.from(ref.input.data), shape: ref.input.shape };

describe('the seed ConvNet fixture', () => {
  let out: AnalyzeOutput;
  beforeAll(async () => {
    out = await analyzeModel({ ...model, input, maxChannels: 16, provider: 'cpu' });
  });
  afterAll(() => clearModelCache());

  it('has the seed architecture', () => {
    const graph = parseModel(readFileSync(model.modelPath), model.modelId);
    expect(graph.nodes.map((n) => [n.op, n.params])).toEqual([
      ['Conv', 32 * 9 + 32],
      ['Relu', 0],
      ['MaxPool', 0],
      ['Flatten', 0],
      ['Gemm', 6272 * 128 + 128],
      ['Relu', 0],
      ['Gemm', 128 * 10 + 10],
    ]);
    expect(graph.nodes[0]?.attributes).toMatchObject({ kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    expect(graph.inputs).toEqual([{ name: 'input', dtype: 'float', shape: ['batch', 1, 28, 28] }]);
  });

  it.each(ref.layers.map((l) => [l.module, l] as const))('%s matches PyTorch', (_m, layer) => {
    const got = out.layers.find((l) => l.tensor === layer.tensor);
    expect(got?.shape).toEqual(layer.shape);
    const scale = Math.max(1, Math.abs(layer.stats.min), Math.abs(layer.stats.max));
    for (const k of ['min', 'max', 'mean', 'std'] as const) {
      expect(Math.abs((got?.stats[k] ?? NaN) - layer.stats[k])).toBeLessThanOrEqual(2e-5 * scale);
    }
    expect(got?.stats.zeros).toBeCloseTo(layer.stats.zeros, 6);
  });

  it('feature maps dequantise to the values PyTorch recorded, within one quantisation step', () => {
    let checked = 0;
    for (const layer of ref.layers) {
      const map = out.maps.find((m) => m.tensor === layer.tensor);
      // Values per range: a channel's plane, or 1 where a short flat map keeps each value exactly.
      const plane = map ? map.data.length / map.channelMin.length : 1;
      for (const [index, value] of layer.samples) {
        const c = Math.floor(index / plane);
        if (!map || c >= map.channelMin.length) continue;
        const lo = map.channelMin[c] as number;
        const step = ((map.channelMax[c] as number) - lo) / 255;
        expect(Math.abs(lo + (map.data[index] as number) * step - value)).toBeLessThanOrEqual(step / 2 + 1e-4);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('feature-map channel ranges are the channel minima and maxima PyTorch recorded', () => {
    for (const layer of ref.layers.filter((l) => l.channels)) {
      const map = out.maps.find((m) => m.tensor === layer.tensor);
      Array.from(map?.channelMin ?? []).forEach((lo, c) => {
        expect(lo).toBeCloseTo(layer.channels?.[c]?.min as number, 4);
        expect(map?.channelMax[c]).toBeCloseTo(layer.channels?.[c]?.max as number, 4);
      });
    }
  });

  it('caps feature maps at maxChannels and flattens the fc outputs', () => {
    const shapes = Object.fromEntries(out.maps.map((m) => [m.tensor, m.shape]));
    expect(shapes).toEqual({
      input: [1, 28, 28],
      '/conv1/Conv_output_0': [16, 28, 28],
      '/relu1/Relu_output_0': [16, 28, 28],
      '/pool/MaxPool_output_0': [16, 14, 14],
      '/flatten/Flatten_output_0': [6272],
      '/fc1/Gemm_output_0': [128],
      '/relu2/Relu_output_0': [128],
      logits: [10],
    });
  });

  it('has 32 conv filters', () => {
    expect(out.filters.map((f) => [f.node, f.shape, f.data.length])).toEqual([['/conv1/Conv', [32, 1, 3, 3], 288]]);
  });

  it('keeps only the layers a filter names', async () => {
    const some = await analyzeModel({ ...model, input, maxChannels: 4, provider: 'cpu', layers: ['Relu', 'fc2'] });
    expect(some.layers.map((l) => l.node)).toEqual(['/relu1/Relu', '/relu2/Relu', '/fc2/Gemm']);
    expect(some.maps.map((m) => m.tensor)).toEqual(['input', '/relu1/Relu_output_0', '/relu2/Relu_output_0', 'logits']);
    expect(some.filters).toEqual([]);
    expect(some.timings.sessionMs).toBe(0); // the session was cached by the first run
  });

  it('the floor fetches the same tensors and times its session and run', async () => {
    const runner = await createBareRunner(model.modelPath);
    try {
      const bare = await runner.run(input);
      expect(Object.keys(bare.shapes).sort()).toEqual(out.layers.map((l) => l.tensor).sort());
      expect(bare.shapes['/pool/MaxPool_output_0']).toEqual([1, 32, 14, 14]);
      expect(bare.runMs).toBeGreaterThan(0);
      expect(runner.sessionMs).toBeGreaterThan(0);
    } finally {
      await runner.close();
    }
  });

  it("the floor's later runs go into buffers reserved from the first run's shapes", async () => {
    const bare = await createBareRunner(model.modelPath);
    try {
      const first = await bare.run(input);
      const again = [await bare.run(input), await bare.run(input)];
      for (const r of again) expect(r.shapes).toEqual(first.shapes);
    } finally {
      await bare.close();
    }
  });
});
