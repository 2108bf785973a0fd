/** What the layer panel offers before an attribution runs: Score-CAM's layers, the forward passes, a heatmap as a map. */
import type { LayerGraph } from '@cnnvis/protocol';
import { camLayers, defaultCamLayer, heatmapMap, plannedPasses } from '../src/graph/attribution-plan';

const node = (id: string, op: string, inputs: string[], outputs: string[]) => ({ id, op, groups: [], attributes: {}, params: 0, inputs, weights: [], outputs });
const edge = (tensor: string, shape: number[]) => ({ tensor, from: null, to: [], dtype: 'float', shape });
const graph = {
  nodes: [node('c1', 'Conv', ['x'], ['a']), node('r1', 'Relu', ['a'], ['b']), node('c2', 'Conv', ['b'], ['c']), node('c3', 'Conv', ['c'], ['d'])],
  edges: [edge('x', [1, 3, 32, 32]), edge('a', [1, 8, 16, 16]), edge('b', [1, 8, 16, 16]), edge('c', [1, 64, 4, 4]), edge('d', [1, 10, 1, 1])],
} as unknown as LayerGraph;

test("Score-CAM's layers are the convs with a known 4-D map; the default is the last spatial one", () => {
  const layers = camLayers(graph);
  expect(layers.map((l) => [l.id, l.channels, l.spatial])).toEqual([['c1', 8, true], ['c2', 64, true], ['c3', 10, false]]);
  expect(defaultCamLayer(layers)?.id).toBe('c2');
  expect(plannedPasses({ method: 'score-cam' }, [32, 32], layers)).toBe(64);
  expect(plannedPasses({ method: 'score-cam', layer: 'c1' }, [32, 32], layers)).toBe(8);
});

test('occlusion runs a pass per patch position; a patch or stride that is no whole number ≥ 1 has none', () => {
  expect(plannedPasses({ method: 'occlusion', patch: 8, stride: 4 }, [32, 32], [])).toBe(49);
  expect(plannedPasses({ method: 'occlusion' }, [224, 224], [])).toBe(169);
  expect(plannedPasses({ method: 'occlusion', stride: 0 }, [32, 32], [])).toBeNull();
  expect(plannedPasses({ method: 'occlusion', patch: 2.5 }, [32, 32], [])).toBeNull();
});

test('a heatmap becomes a one-channel map of its positive part, over 0 … its largest value', () => {
  const map = heatmapMap({ heatmap: [-1, 0, 1, 2], shape: [2, 2] }, 'occlusion · cat');
  expect(map.meta).toMatchObject({ tensor: 'occlusion · cat', shape: [1, 2, 2], channelMin: [0], channelMax: [2] });
  expect(Array.from(map.bytes)).toEqual([0, 0, 128, 255]);
  expect(Array.from(heatmapMap({ heatmap: [-1, -2], shape: [1, 2] }, '').bytes)).toEqual([0, 0]);
});
