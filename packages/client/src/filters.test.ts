import type { LayerGraph } from '@cnnvis/protocol';
import { isCnnvisClientError } from './client-error';
import { filterGrid, histogramBars, pickFilterLayers, safeWinPart, zerosInput } from './filters';

const node = (id: string, op: string, weights: string[] = []) => ({ id, op, groups: [], attributes: {}, params: 0, inputs: [], weights, outputs: [] });
const graph = (inputShape: Array<number | string | null>): LayerGraph => ({
  modelId: 'a'.repeat(64),
  irVersion: 8,
  opsets: { '': 17 },
  producer: 'test',
  inputs: [{ name: 'x', dtype: 'float', shape: inputShape }],
  outputs: [],
  initializers: [],
  nodes: [node('/conv1/Conv', 'Conv', ['w1']), node('/relu/Relu', 'Relu'), node('/conv10/Conv', 'Conv', ['w10']), node('/up/ConvTranspose', 'ConvTranspose', ['w2'])],
  edges: [],
});

test('pickFilterLayers: every conv, an exact name, a name part or an op; a miss names the conv layers', () => {
  const g = graph([1, 3, 8, 8]);
  expect(pickFilterLayers(g).map((n) => n.id)).toEqual(['/conv1/Conv', '/conv10/Conv', '/up/ConvTranspose']);
  expect(pickFilterLayers(g, '/conv1/Conv').map((n) => n.id)).toEqual(['/conv1/Conv']);
  expect(pickFilterLayers(g, 'conv1').map((n) => n.id)).toEqual(['/conv1/Conv', '/conv10/Conv']);
  expect(pickFilterLayers(g, 'ConvTranspose').map((n) => n.id)).toEqual(['/up/ConvTranspose']);
  let err: unknown;
  try {
    pickFilterLayers(g, 'fc');
  } catch (e) {
    err = e;
  }
  expect(isCnnvisClientError(err) && err.message).toMatch(/layer: no conv layer matches 'fc' \(conv layers: \/conv1\/Conv, \/conv10\/Conv, \/up\/ConvTranspose\)/);
});

test('zerosInput: batch 1 for a symbolic batch; other symbolic dims need an input', () => {
  expect(zerosInput(graph(['batch', 3, 4, 4]))).toEqual({ data: new Float32Array(48), shape: [1, 3, 4, 4] });
  expect(() => zerosInput(graph(['batch', 3, 'h', 'w']))).toThrow(/input 'x' has shape \[batch, 3, h, w\]; pass opts.input/);
});

test('filterGrid: grey tiles per (output, input), enlarged by nearest neighbour', () => {
  // 2 outputs × 2 inputs × 1×2 kernels: values 0..7.
  const data = Uint8Array.from({ length: 8 }, (_, i) => i);
  const grid = filterGrid({ node: 'c', shape: [2, 2, 1, 2], min: -1, max: 1 }, data, 64, 8);
  expect(grid.batch.shape).toEqual([4, 1, 12, 24]);
  expect(grid.nrow).toBe(2);
  const tiles = grid.batch.data as Uint8Array;
  // Tile 3 is output 1, input 1: kernel values 6, 7; left half 6, right half 7.
  const tile3 = tiles.subarray(3 * 12 * 24, 4 * 12 * 24);
  expect(tile3[0]).toBe(6);
  expect(tile3[11]).toBe(6);
  expect(tile3[12]).toBe(7);
  expect(tile3[11 * 24 + 23]).toBe(7);
  expect(grid.caption).toBe('c: 2 of 2 filters × 2 of 2 inputs, 1×2, black -1.00 … white 1.00');
});

test('filterGrid: 3 inputs are shown as one colour tile per filter, capped at maxFilters', () => {
  const data = Uint8Array.from({ length: 5 * 3 * 3 * 3 }, (_, i) => i);
  const grid = filterGrid({ node: 'c', shape: [5, 3, 3, 3], min: 0, max: 1 }, data, 4, 8);
  expect(grid.batch.shape).toEqual([4, 3, 24, 24]);
  const tiles = grid.batch.data as Uint8Array;
  // Filter 1, channel 2 (blue) starts at weight index (1·3 + 2)·9 = 45.
  expect(tiles[(1 * 3 + 2) * 24 * 24]).toBe(45);
  expect(grid.caption).toMatch(/^c: 4 of 5 filters \(RGB\), 3×3/);
});

test('histogramBars puts bars at bin centres; safeWinPart keeps ids URL- and path-safe', () => {
  expect(histogramBars({ edges: [0, 1, 3], counts: [4, 5] })).toEqual({ x: [0.5, 2], y: [4, 5] });
  expect(safeWinPart('/layer1/layer1.0/conv1/Conv')).toBe('layer1_layer1.0_conv1_Conv');
  expect(safeWinPart('///')).toBe('layer');
});
