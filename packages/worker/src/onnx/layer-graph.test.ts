import { parseModel } from './parse-model';
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '../../../../test/support/onnx-builder';
import { nameGroups } from './name-groups';

const ID = '0'.repeat(64);

describe('nameGroups', () => {
  it.each([
    ['/layer1/layer1.0/conv1/Conv', ['layer1', 'layer1.0', 'conv1']],
    ['/conv1/Conv', ['conv1']],
    ['/Add', []],
    ['Conv_0', []],
    ['model/block1/conv/Conv2D', ['model', 'block1', 'conv']],
    ['', []],
  ])('%s → %j', (name, groups) => expect(nameGroups(name)).toEqual(groups));
});

describe('parseModel', () => {
  const bytes = buildModel({
    inputs: [valueInfo('x', 'float', ['n', 2]), valueInfo('w', 'float', [2, 2])],
    outputs: [valueInfo('y', 'float', ['n', 2])],
    initializers: [floatTensor('w', [2, 2], [1, 2, 3, 4]), floatTensor('b', [2], [0, 0]), int64Tensor('axes', [1], [0])],
    nodes: [
      node('Gemm', ['x', 'w', 'b'], ['g'], { transB: 1 }),
      node('Relu', ['g'], ['r'], {}, '/block/act/Relu'),
      node('Relu', ['r'], ['r2'], {}, '/block/act/Relu'),
      node('Add', ['r2', 'g'], ['y'], {}, 'add'),
      node('Constant', [], ['k'], { value: int64Tensor('', [2], [3, -1]) }, 'const'),
      node('Unused', ['', 'k'], ['z'], { mode: 'edge', sizes: [1, 2, 3] }, 'opt'),
    ],
    opset: 18,
  });
  const graph = parseModel(bytes, ID);

  it('names nodes: their own name, op_<index> without one, <name>#<index> when a name repeats', () => {
    expect(graph.nodes.map((n) => n.id)).toEqual(['op_0', '/block/act/Relu', '/block/act/Relu#2', 'add', 'const', 'opt']);
    expect(graph.nodes[1]?.groups).toEqual(['block', 'act']);
  });

  it('keeps initializers apart from inputs, even when the model lists them as inputs', () => {
    expect(graph.inputs).toEqual([{ name: 'x', dtype: 'float', shape: ['n', 2] }]);
    expect(graph.initializers).toEqual([
      { name: 'w', dtype: 'float', shape: [2, 2], params: 4 },
      { name: 'b', dtype: 'float', shape: [2], params: 2 },
      { name: 'axes', dtype: 'int64', shape: [1], params: 1 },
    ]);
    expect(graph.nodes[0]).toMatchObject({ op: 'Gemm', inputs: ['x'], weights: ['w', 'b'], params: 6, attributes: { transB: 1 } });
  });

  it('simplifies attributes for display, and leaves out omitted optional inputs', () => {
    expect(graph.nodes[4]?.attributes).toEqual({ value: 'int64[2] = [3, -1]' });
    // It reads only a Constant, so it is weight-only: folded, its one input a weight.
    expect(graph.nodes[5]).toMatchObject({ inputs: [], weights: ['k'], folded: true, attributes: { mode: 'edge', sizes: [1, 2, 3] } });
  });

  it('makes one edge per produced tensor, with its consumers and declared type', () => {
    const edges = Object.fromEntries(graph.edges.map((e) => [e.tensor, e]));
    expect(edges['x']).toEqual({ tensor: 'x', from: null, to: ['op_0'], dtype: 'float', shape: ['n', 2] });
    expect(edges['g']?.to).toEqual(['/block/act/Relu', 'add']);
    expect(edges['y']).toMatchObject({ from: 'add', to: [], dtype: 'float' });
    expect(edges['r']).toMatchObject({ from: '/block/act/Relu', to: ['/block/act/Relu#2'], dtype: null, shape: null });
    expect(edges['k']?.to).toEqual(['opt']);
    expect(edges['w']).toBeUndefined();
  });

  it('reads IR version, opsets and producer', () => {
    expect(graph).toMatchObject({ modelId: ID, irVersion: 8, opsets: { 'ai.onnx': 18 }, producer: 'cnnvis-test' });
  });
});
