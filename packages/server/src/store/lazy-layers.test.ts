import type { AnalysisRun, TensorStats } from '@cnnvis/protocol';
import { packChannels, unpackChannels } from '@cnnvis/worker/pool';
import { withLazyLayers } from './lazy-layers';

const stats = (min: number | null): TensorStats => ({ min, max: min, mean: min, std: min === null ? null : 0, zeros: 0, nan: min === null ? 1 : 0, inf: 0 });

test('a run with packed statistics shows them as objects when read, serialised or spread', () => {
  const full = [
    { node: 'a', op: 'Conv', tensor: 'ta', shape: [1, 2, 1, 1], stats: stats(1), channels: [stats(1), stats(null)] },
    { node: 'b', op: 'Gemm', tensor: 'tb', shape: [1, 3], stats: stats(2), channels: [] },
  ];
  const { layers, ...channels } = packChannels(full);
  const run: AnalysisRun = { runId: 'run_1', provider: 'cpu', timings: { queueMs: 0, sessionMs: 0, runMs: 0, statsMs: 0, storeMs: 0, totalMs: 0 }, layers };
  let fills = 0;
  const lazy = withLazyLayers(run, () => {
    fills++;
    return unpackChannels({ layers, ...channels });
  });
  expect(fills).toBe(0);
  expect(lazy.layers).toEqual(full);
  expect(lazy.layers).toBe(lazy.layers);
  expect(fills).toBe(1);
  expect(JSON.parse(JSON.stringify(lazy))).toEqual({ ...run, layers: full });
  expect({ ...lazy }.layers).toEqual(full);
  expect(run.layers.every((l) => l.channels.length === 0)).toBe(true);
});
