import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '../../../../test/support/onnx-builder';
import { parseModel } from './parse-model';

const ID = '0'.repeat(64);
const fixture = (name: string) => parseModel(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', name)), ID);

describe('folding weight-only nodes', () => {
  const graph = parseModel(
    buildModel({
      inputs: [valueInfo('x', 'float', [1, 2, 4, 4])],
      outputs: [valueInfo('y', 'float', null), valueInfo('shift', 'float', null)],
      initializers: [floatTensor('w', [2, 2, 1, 1], [1, 0, 0, 1]), floatTensor('b', [2], [0, 0]), floatTensor('s', [1], [3])],
      nodes: [
        // Chains: Identity of Identity of an initializer, and Constant -> Cast.
        node('Identity', ['w'], ['w1'], {}, 'id1'),
        node('Identity', ['w1'], ['w2'], {}, 'id2'),
        node('Constant', [], ['k'], { value: int64Tensor('', [2], [0, 6]) }, 'const'),
        node('Cast', ['k'], ['kf'], { to: 1 }, 'cast'),
        node('Split', ['kf'], ['lo', 'hi'], { axis: 0 }, 'split'),
        node('Conv', ['x', 'w2', 'b'], ['c'], {}, 'conv'),
        // One Constant (through Split) feeds two readers.
        node('Clip', ['c', 'lo', 'hi'], ['r'], {}, 'clip'),
        node('Add', ['r', 'lo'], ['y'], {}, 'add'),
        // A weight-only node whose output the model returns stays a layer.
        node('Neg', ['s'], ['shift'], {}, 'neg'),
      ],
      opset: 13,
    }),
    ID,
  );
  const byId = Object.fromEntries(graph.nodes.map((n) => [n.id, n]));

  it('marks nodes computed from initializers and Constants alone, through chains', () => {
    expect(graph.nodes.filter((n) => n.folded).map((n) => n.id)).toEqual(['id1', 'id2', 'const', 'cast', 'split']);
  });

  it('keeps a node with one activation and one weight input a layer, the folded tensor among its weights', () => {
    expect(byId['conv']).toMatchObject({ inputs: ['x'], weights: ['w2', 'b'], params: 6 });
    expect(byId['conv']?.folded).toBeUndefined();
    expect(byId['add']).toMatchObject({ inputs: ['r'], weights: ['lo'], params: 2 });
  });

  it('gives both readers of one Constant its weight, counting the stored tensor once per reader', () => {
    expect(byId['clip']).toMatchObject({ inputs: ['c'], weights: ['lo', 'hi'], params: 2 });
  });

  it('keeps a weight-only node whose output is a graph output a layer', () => {
    expect(byId['neg']).toMatchObject({ inputs: [], weights: ['s'] });
    expect(byId['neg']?.folded).toBeUndefined();
  });

  it('keeps the folded edges for the raw view, with the shapes the chain gives', () => {
    const edges = Object.fromEntries(graph.edges.map((e) => [e.tensor, e]));
    expect(edges['w2']).toMatchObject({ from: 'id2', to: ['conv'], dtype: 'float', shape: [2, 2, 1, 1] });
    expect(edges['k']).toMatchObject({ from: 'const', to: ['cast'], dtype: 'int64', shape: [2] });
    expect(edges['lo']?.to).toEqual(['clip', 'add']);
    expect(edges['c']?.to).toEqual(['clip']);
  });
});

describe('torch.onnx.export noise in the torchvision-shaped fixtures', () => {
  it.each([
    ['resnet18-small.onnx', { Identity: 16 }],
    ['mobilenetv2-small.onnx', { Identity: 42, Constant: 70 }],
  ])('%s: every Identity and Constant is folded, and only those', (file, counts) => {
    const graph = fixture(file);
    const folded = graph.nodes.filter((n) => n.folded);
    const ops: Record<string, number> = {};
    for (const n of folded) ops[n.op] = (ops[n.op] ?? 0) + 1;
    expect(ops).toEqual(counts);
    // Each folded output is read as a weight, never as an activation.
    const foldedOut = new Set(folded.flatMap((n) => n.outputs));
    for (const n of graph.nodes) expect(n.inputs.filter((t) => foldedOut.has(t))).toEqual([]);
    expect(graph.nodes.filter((n) => n.weights.some((w) => foldedOut.has(w))).length).toBeGreaterThan(0);
  });
});
