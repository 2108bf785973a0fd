/**
 * ResNet-18- and MobileNetV2-shaped fixtures (torchvision's architectures,
 * narrow, 3×64×64, random weights, opset 13): their exporter's weight-only
 * nodes are folded into the layers that read them, out of a run's layers.
 */
import { analyzeModel, clearModelCache, type AnalyzeOutput } from '../src';
import { fixtureModel } from './support/fixtures';

const input = { data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i / 7)), shape: [1, 3, 64, 64] };

describe.each([
  ['resnet18-small.onnx', 20, ['Conv', 'Relu', 'Add', 'MaxPool', 'GlobalAveragePool', 'Flatten', 'Gemm']],
  ['mobilenetv2-small.onnx', 52, ['Conv', 'Clip', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm']],
])('%s', (file, convs, ops) => {
  let out: AnalyzeOutput;
  beforeAll(async () => {
    out = await analyzeModel({ ...fixtureModel(file), input, maxChannels: 4, provider: 'cpu' });
  });
  afterAll(() => clearModelCache());

  it('gives no folded node a layer: the layers are the real ops, one per unfolded node', () => {
    expect([...new Set(out.layers.map((l) => l.op))].sort()).toEqual([...ops].sort());
    const layers = out.graph.nodes.filter((n) => !n.folded);
    expect(out.layers.map((l) => l.node)).toEqual(layers.map((n) => n.id));
  });

  it('reads every conv\'s filters, its bias coming through an Identity', () => {
    expect(out.filters).toHaveLength(convs);
    const produced = new Map(out.graph.edges.map((e) => [e.tensor, e]));
    const conv = out.graph.nodes.find((n) => n.op === 'Conv' && produced.has(n.weights[1] ?? ''));
    const bias = produced.get(conv?.weights[1] ?? '');
    expect(bias?.from).toMatch(/^Identity/);
    expect(bias?.shape).toEqual([conv ? out.filters.find((f) => f.node === conv.id)?.shape[0] : -1]);
  });
});
