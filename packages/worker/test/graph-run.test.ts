/**
 * The GPU path of featureMaps (statistics and maps computed as ONNX ops in
 * the graph, graph-run.ts), run here on the CPU, gives what the CPU path (the
 * JS kernels over fetched activations) gives: the same statistics to float32
 * rounding and the same map bytes within one step of rounding.
 */
import { analyzeModel, clearModelCache, loadedModel } from '../src/analyze/analyze-model';
import { runWithStats, statsSession } from '../src/analyze/graph-run';
import { createMapsSink } from '../src/analyze/maps-file';
import { fixtureModel, readReference } from './support/fixtures';

afterAll(() => clearModelCache());

const close = (a: number | null, b: number | null, scale: number) => {
  if (b === null || Number.isNaN(b)) return expect(a === null || Number.isNaN(a)).toBe(true);
  expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(2e-5 * Math.max(1, scale));
};

describe.each([['convnet.onnx', 'convnet'], ['residual-opset13.onnx', 'residual']])('%s through the graph', (file, reference) => {
  it('gives the statistics and maps of the CPU path', async () => {
    const model = fixtureModel(file);
    const ref = readReference(reference);
    const input = { data: Float32Array.from(ref.input.data), shape: ref.input.shape };
    const job = { ...model, input, maxChannels: 16, provider: 'cpu' as const };
    const js = await analyzeModel(job);
    const { model: m } = await loadedModel(model.modelPath, model.modelId);
    const sink = createMapsSink(undefined);
    const { summary } = await runWithStats(m, await statsSession(m, 'cpu'), { name: m.graph.inputs[0]?.name ?? '', ...input }, js.layers.map((l) => l.tensor), job, sink);
    const { maps } = await sink.finish();
    expect(summary.layers.map((l) => [l.tensor, l.shape])).toEqual(js.layers.map((l) => [l.tensor, l.shape]));
    summary.layers.forEach((l, i) => {
      const want = js.layers[i]?.stats;
      const scale = Math.max(Math.abs(want?.min ?? 0), Math.abs(want?.max ?? 0));
      for (const k of ['min', 'max', 'mean', 'std'] as const) close(l.stats[k], want?.[k] ?? null, scale);
      expect(l.stats.zeros).toBeCloseTo(want?.zeros ?? NaN, 9);
    });
    expect(Array.from(summary.packed.channelCounts)).toEqual(Array.from(js.packedChannels?.channelCounts ?? []));
    summary.packed.channelStats.forEach((v, i) => close(v, js.packedChannels?.channelStats[i] ?? NaN, 10));
    expect(maps.map((x) => [x.tensor, x.shape])).toEqual(js.maps.map((x) => [x.tensor, x.shape]));
    maps.forEach((map, i) => {
      const want = js.maps[i];
      map.channelMin.forEach((v, c) => close(v, want?.channelMin[c] ?? NaN, 10));
      let off = 0;
      map.data.forEach((b, j) => (off = Math.max(off, Math.abs(b - (want?.data[j] ?? NaN)))));
      expect(off).toBeLessThanOrEqual(1);
    });
  });
});
