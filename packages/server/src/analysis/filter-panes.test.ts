import type { LayerGraph } from '@cnnvis/protocol';
import { CnnvisError } from '../errors';
import { filterGrid, histogramPlot, pickFilterLayers, safeWinPart } from './filter-panes';

const node = (id: string, op: string, weights: string[] = []) => ({ id, op, groups: id.split('/').filter(Boolean).slice(0, -1), attributes: {}, params: 0, inputs: [], weights, outputs: [] });
const graph = (ids: string[]): LayerGraph => ({
  modelId: 'a'.repeat(64),
  irVersion: 8,
  opsets: { '': 17 },
  producer: 'test',
  inputs: [{ name: 'x', dtype: 'float', shape: [1, 3, 8, 8] }],
  outputs: [],
  initializers: [],
  nodes: ids.map((id) => (id.endsWith('/Relu') ? node(id, 'Relu') : node(id, id.split('/').at(-1) ?? '', [`${id}.weight`]))),
  edges: [],
});

/** A ResNet-18's conv names as PyTorch exports them. */
const RESNET = [
  '/conv1/Conv',
  '/relu/Relu',
  ...[1, 2, 3, 4].flatMap((l) => [0, 1].flatMap((b) => [`/layer${l}/layer${l}.${b}/conv1/Conv`, `/layer${l}/layer${l}.${b}/conv2/Conv`])),
  '/layer2/layer2.0/downsample/downsample.0/Conv',
];

test('pickFilterLayers: a module path or node name picks that node alone, though more names contain it', () => {
  const g = graph(RESNET);
  for (const name of ['conv1', '/conv1', '/conv1/Conv']) expect(pickFilterLayers(g, name).map((n) => n.id)).toEqual(['/conv1/Conv']);
  for (const name of ['layer1/layer1.0/conv1', 'layer1.0.conv1']) {
    expect(pickFilterLayers(g, name).map((n) => n.id)).toEqual(['/layer1/layer1.0/conv1/Conv']);
  }
  expect(pickFilterLayers(g, 'layer2.0.downsample.0').map((n) => n.id)).toEqual(['/layer2/layer2.0/downsample/downsample.0/Conv']);
});

test('pickFilterLayers: without an exact match, every conv whose name contains it or whose op it is; all without a name', () => {
  const g = graph(RESNET);
  expect(pickFilterLayers(g)).toHaveLength(18);
  expect(pickFilterLayers(g, 'layer1.0').map((n) => n.id)).toEqual(['/layer1/layer1.0/conv1/Conv', '/layer1/layer1.0/conv2/Conv']);
  expect(pickFilterLayers(g, 'conv2')).toHaveLength(8);
  expect(pickFilterLayers(g, 'Conv')).toHaveLength(18);
});

test('pickFilterLayers: only convs with stored weights; a miss names the conv layers', () => {
  const g = graph(['/conv1/Conv', '/up/ConvTranspose', '/relu/Relu']);
  g.nodes.push(node('/dq/Conv', 'Conv'));
  expect(pickFilterLayers(g).map((n) => n.id)).toEqual(['/conv1/Conv']);
  let err: unknown;
  try {
    pickFilterLayers(g, 'fc');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CnnvisError);
  expect((err as CnnvisError).issues).toEqual([{ path: 'layer', message: "no conv layer matches 'fc' (conv layers: /conv1/Conv)" }]);
});

const set = (shape: number[], data: Uint8Array) => ({ node: 'c', shape, min: -1, max: 1, data, histogram: { edges: [], counts: [] } });

test('filterGrid: grey tiles per (output, input), enlarged by nearest neighbour, 2 px apart', () => {
  // 2 outputs × 2 inputs × 1×2 kernels: values 0..7; tiles 12×24, a row per output.
  const grid = filterGrid(set([2, 2, 1, 2], Uint8Array.from({ length: 8 }, (_, i) => i)), 64, 8);
  expect(grid).toMatchObject({ encoding: 'raw', channels: 1, width: 2 * 26 + 2, height: 2 * 14 + 2 });
  expect(grid.caption).toBe('2 of 2 filters × 2 of 2 inputs, 1×2, black -1.00 … white 1.00');
  // Tile 3 is output 1, input 1 (kernel values 6, 7) at row 1, column 1.
  const at = (y: number, x: number) => grid.data[(2 + 14 + y) * grid.width + 2 + 26 + x];
  expect([at(0, 0), at(11, 11), at(0, 12), at(11, 23)]).toEqual([6, 6, 7, 7]);
  expect(grid.data[0]).toBe(0); // padding
});

test('filterGrid: 3 inputs are one colour tile per filter, eight a row, capped at maxFilters; one tile has no padding', () => {
  const grid = filterGrid(set([5, 3, 3, 3], Uint8Array.from({ length: 5 * 3 * 3 * 3 }, (_, i) => i)), 4, 8);
  expect(grid).toMatchObject({ channels: 3, width: 4 * 26 + 2, height: 26 + 2 });
  expect(grid.caption).toMatch(/^4 of 5 filters \(RGB\), 3×3/);
  // Filter 1, channel 2 (blue) starts at weight index (1·3 + 2)·9 = 45.
  expect(grid.data[2 * grid.width * grid.height + 2 * grid.width + 2 + 26]).toBe(45);
  const one = filterGrid(set([1, 1, 3, 3], new Uint8Array(9).fill(9)), 64, 8);
  expect(one).toMatchObject({ width: 24, height: 24 });
  expect(one.data.every((v) => v === 9)).toBe(true);
});

test('filterGrid: many filters of few inputs lie in blocks side by side, about square, not a strip', () => {
  // 8 outputs × 2 inputs × 1×1: two blocks of 2 tiles a row (round(√(8/2)) = 2), four rows.
  const grid = filterGrid(set([8, 2, 1, 1], Uint8Array.from({ length: 16 }, (_, i) => i)), 64, 8);
  expect(grid).toMatchObject({ width: 4 * 26 + 6 + 2, height: 4 * 26 + 2 });
  // Output 3 (values 6, 7) is row 1, block 1: its first tile starts after 2 tiles and the block gap.
  const at = (row: number, tile: number, gapped: boolean) => grid.data[(2 + row * 26) * grid.width + 2 + tile * 26 + (gapped ? 6 : 0)];
  expect([at(1, 2, true), at(1, 3, true), at(1, 0, false), at(3, 3, true)]).toEqual([6, 7, 4, 15]);
});

test('histogramPlot puts bars at bin centres; safeWinPart keeps ids URL- and path-safe', () => {
  expect(histogramPlot({ edges: [0, 1, 3], counts: [4, 5] }).traces).toEqual([{ name: 'weights', type: 'bar', x: [0.5, 2], y: [4, 5] }]);
  expect(safeWinPart('/layer1/layer1.0/conv1/Conv')).toBe('layer1_layer1.0_conv1_Conv');
  expect(safeWinPart('///')).toBe('layer');
});
