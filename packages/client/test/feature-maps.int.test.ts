/**
 * `viz.featureMaps`, `viz.modelGraph` and `viz.filters` end to end: the SDK
 * uploads (once) over HTTP, the server runs the real worker (ONNX Runtime),
 * and the result, the stored maps and the windows match PyTorch's record of
 * the same model (packages/worker/test/fixtures).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphContent, ImageContent, PlotContent } from '@cnnvis/protocol';
import { CnnVis, formatFeatureMaps, isCnnvisClientError, type AnalysisProgress } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { fetchMap } from '../../../test/support/analysis';
import { CONVNET_PATH, convnetReference, resnetNamedModel, sha256, sobelModel } from '../../../test/support/models';
import { buildModel, floatTensor, node, valueInfo } from '../../../test/support/onnx-builder';
import { Connection } from '../src/connection';
import { encodePng } from './png';

let server: TestServer;
let viz: CnnVis;
let scratch: string;

beforeAll(async () => {
  server = await startServer();
  viz = new CnnVis({ url: server.url, env: 'fm' });
  scratch = mkdtempSync(join(tmpdir(), 'cnnvis-fm-'));
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

const reference = convnetReference();
const input = { data: Float32Array.from(reference.input.data), shape: reference.input.shape };

test("featureMaps on the ConvNet: per-layer stats equal PyTorch's, progress reported, upload once", async () => {
  const seen: AnalysisProgress[] = [];
  const result = await viz.featureMaps(CONVNET_PATH, input, { onProgress: (p) => seen.push(p) });
  expect(result.modelId).toBe(sha256(readFileSync(CONVNET_PATH)));
  expect(result).toMatchObject({ env: 'fm', win: 'fm-graph', provider: 'cpu' });
  for (const ref of reference.layers) {
    const layer = result.layers.find((l) => l.tensor === ref.tensor);
    if (layer === undefined) throw new Error(`no layer for ${ref.module} (${ref.tensor})`);
    expect(layer.shape).toEqual(ref.shape);
    for (const key of ['min', 'max', 'mean', 'std', 'zeros'] as const) {
      expect(layer.stats[key]).toBeCloseTo(ref.stats[key], 4);
    }
  }
  expect(seen[0]?.stage).toBe('upload');
  expect(seen.at(-1)).toEqual({ stage: 'done', fraction: 1 });
  expect(formatFeatureMaps(result)).toMatch(/\/conv1\/Conv\s+Conv\s+\[1, 32, 28, 28\]/);

  const again: AnalysisProgress[] = [];
  await viz.featureMaps(CONVNET_PATH, input, { onProgress: (p) => again.push(p) });
  expect(again.some((p) => p.stage === 'upload')).toBe(false);
});

test('a server that lost the model since (a new data dir at the same address) gets it again, once', async () => {
  const first = await startServer();
  const port = Number(new URL(first.url).port);
  const client = new CnnVis({ url: first.url, env: 'fm' });
  try {
    await client.featureMaps(CONVNET_PATH, input);
    await first.close();
    const second = await startServer({ port });
    try {
      const seen: AnalysisProgress[] = [];
      const result = await client.featureMaps(CONVNET_PATH, input, { onProgress: (p) => seen.push(p) });
      expect(result.layers.length).toBeGreaterThan(0);
      expect(seen.filter((p) => p.stage === 'upload' && p.fraction === 1)).toHaveLength(1);
    } finally {
      await client.disconnect();
      await second.close();
    }
  } finally {
    await first.close().catch(() => undefined);
  }
});

test("the stored maps decode to the right shape and to PyTorch's values", async () => {
  const result = await viz.featureMaps(CONVNET_PATH, input, { maxChannels: 8, winPrefix: 'eight' });
  for (const ref of reference.layers.filter((l) => l.shape.length === 4)) {
    const [, c = 0, h = 0, w = 0] = ref.shape;
    const { meta, values } = await fetchMap(server.url, result.runId, ref.tensor);
    expect(meta.shape).toEqual([Math.min(c, 8), h, w]);
    expect(values).toHaveLength(Math.min(c, 8) * h * w);
    for (const [i, v] of ref.samples.filter(([i]) => i < 8 * h * w)) {
      const ch = Math.floor(i / (h * w));
      const step = ((meta.channelMax[ch] ?? 0) - (meta.channelMin[ch] ?? 0)) / 255;
      expect(Math.abs((values[i] ?? NaN) - v)).toBeLessThanOrEqual(step / 2 + 1e-4);
    }
  }
  const graph = await viz.getWindow('eight-graph');
  const content = graph.content as GraphContent;
  expect(content.run?.runId).toBe(result.runId);
  expect(content.graph.nodes.map((n) => n.op)).toEqual(expect.arrayContaining(['Conv', 'Relu', 'MaxPool', 'Gemm']));
});

test('the model may be bytes or the id of an uploaded model; layers filter by op', async () => {
  const bytes = readFileSync(CONVNET_PATH);
  const byBytes = await viz.featureMaps(bytes, input, { layers: ['Relu'] });
  expect(byBytes.layers.map((l) => l.op)).toEqual(['Relu', 'Relu']);
  const byId = await viz.featureMaps(sha256(bytes), input, { layers: ['Relu'] });
  expect(byId.layers).toEqual(byBytes.layers);
});

test('an image file is preprocessed into the model input', async () => {
  const side = 40;
  const grey = Uint8Array.from({ length: side * side }, (_, i) => ((i % side) * 255) / side);
  const path = join(scratch, 'ramp.png');
  writeFileSync(path, encodePng(grey, side, side, 1));
  const result = await viz.featureMaps(CONVNET_PATH, path, { preprocess: { resize: true, mean: [0.5], std: [0.5] } });
  expect(result.layers.find((l) => l.op === 'Conv')?.shape).toEqual([1, 32, 28, 28]);
});

test('modelGraph shows the graph alone; filters push a grid and a histogram per conv layer', async () => {
  const ack = await viz.modelGraph(CONVNET_PATH, { win: 'arch' });
  expect(ack.win).toBe('arch');
  expect(((await viz.getWindow('arch')).content as GraphContent).run).toBeNull();

  const requests = jest.spyOn(Connection.prototype, 'request');
  const result = await viz.filters(CONVNET_PATH, 'conv1', { env: 'filters' });
  // One request: the server reads the weights and makes the panes, and nothing runs.
  expect(requests.mock.calls.map(([event]) => event)).toEqual(['model:filters']);
  requests.mockRestore();
  expect(result).toMatchObject({ modelId: sha256(readFileSync(CONVNET_PATH)), env: 'filters' });
  expect((await viz.envs()).find((e) => e.id === 'filters')?.windows).toBe(2);
  const { layers } = result;
  expect(layers).toHaveLength(1);
  const conv = layers[0];
  if (conv === undefined) throw new Error('no conv layer');
  expect(conv.shape).toEqual([32, 1, 3, 3]);
  const grid = (await viz.getWindow(conv.win, { env: 'filters' })).content as ImageContent;
  expect(grid.images).toHaveLength(1);
  expect(grid.images[0]?.caption).toMatch(/32 of 32 filters × 1 of 1 inputs, 3×3/);
  const hist = (await viz.getWindow(conv.histogramWin, { env: 'filters' })).content as PlotContent;
  const counts = hist.traces[0]?.y as number[];
  expect(counts.reduce((a, b) => a + b, 0)).toBe(32 * 9);
});

test("filters take the layer a name picks exactly, from a model that cannot run and whose input has no fixed shape", async () => {
  const model = resnetNamedModel();
  const { layers } = await viz.filters(model, 'conv1', { env: 'resnet' });
  expect(layers.map((l) => [l.node, l.shape, l.win])).toEqual([['/conv1/Conv', [4, 3, 3, 3], 'filters-conv1_Conv']]);
  expect((await viz.envs()).find((e) => e.id === 'resnet')?.windows).toBe(2);
  const byPath = await viz.filters(sha256(model), 'layer1.0.conv1', { env: 'resnet', winPrefix: 'w', maxFilters: 2, maxInputs: 1 });
  expect(byPath.layers.map((l) => l.node)).toEqual(['/layer1/layer1.0/conv1/Conv']);
  const grid = (await viz.getWindow(byPath.layers[0]?.win ?? '', { env: 'resnet' })).content as ImageContent;
  expect(grid.images[0]?.caption).toMatch(/2 of 4 filters × 1 of 4 inputs/);
  const miss = await viz.filters(model, 'fc').catch((e: unknown) => e);
  expect(isCnnvisClientError(miss) && miss.code).toBe('BAD_REQUEST');
  expect((miss as Error).message).toMatch(/layer: no conv layer matches 'fc'/);
});

test.each([
  ['a missing file', 'no/such/model.onnx', /model: no such file/],
  ['an id the server lacks', 'd'.repeat(64), /is not on the server/],
])('featureMaps with %s rejects with a message', async (_name, model, message) => {
  const err = await viz.featureMaps(model, input).catch((e: unknown) => e);
  expect(isCnnvisClientError(err)).toBe(true);
  expect((err as Error).message).toMatch(message);
});

test('a model file rewritten in place is hashed and uploaded again; unchanged, it is not', async () => {
  const path = join(scratch, 'rewritten.onnx');
  const first = sobelModel(7, 9);
  const second = sobelModel(9, 7);
  writeFileSync(path, first);
  const uploaded = async () => {
    const seen: AnalysisProgress[] = [];
    await viz.modelGraph(path, { win: 'rewritten', onProgress: (p) => seen.push(p) });
    return seen.some((p) => p.stage === 'upload');
  };
  expect(await uploaded()).toBe(true);
  expect(await uploaded()).toBe(false);
  writeFileSync(path, second);
  expect(await uploaded()).toBe(true);
  for (const bytes of [first, second]) {
    expect((await fetch(`${server.url}/api/models/${sha256(bytes)}`, { method: 'HEAD' })).status).toBe(200);
  }
});

test("a bad model and a bad input reject with the server's message", async () => {
  const junk = new TextEncoder().encode('not a model at all');
  const bad = await viz.featureMaps(junk, input).catch((e: unknown) => e);
  expect(isCnnvisClientError(bad) && bad.code).toBe('BAD_REQUEST');
  const wrong = await viz.featureMaps(sobelModel(8, 8), { data: new Float32Array(3), shape: [1, 1, 2, 2] }).catch((e: unknown) => e);
  expect((wrong as Error).message).toMatch(/input\.data: has 3 values but shape \[1, 1, 2, 2\] needs 4/);
});

test("a model over the server's limit is refused before its upload", async () => {
  const small = await startServer({ maxModelBytes: 64 * 1024 });
  const client = new CnnVis({ url: small.url });
  try {
    const err = await client.featureMaps(CONVNET_PATH, input).catch((e: unknown) => e);
    expect(isCnnvisClientError(err) && err.code).toBe('PAYLOAD_TOO_LARGE');
    expect((err as Error).message).toMatch(/over the server's limit of 65536/);
  } finally {
    await client.disconnect();
    await small.close();
  }
});

test('a 100 MB model streams up with upload progress and its graph parses', async () => {
  // MatMul by a 5000×5000 float weight: 100 MB of initializer.
  const n = 5000;
  const bytes = buildModel({
    inputs: [valueInfo('x', 'float', [1, n])],
    outputs: [valueInfo('y', 'float', [1, n])],
    initializers: [floatTensor('w', [n, n], new Float32Array(n * n).fill(0.5))],
    nodes: [node('MatMul', ['x', 'w'], ['y'], {}, '/fc/MatMul')],
  });
  expect(bytes.byteLength).toBeGreaterThan(100_000_000);
  const path = join(scratch, 'big.onnx');
  writeFileSync(path, bytes);
  const seen: AnalysisProgress[] = [];
  await viz.modelGraph(path, { win: 'big', onProgress: (p) => seen.push(p) });
  const fractions = seen.filter((p) => p.stage === 'upload').map((p) => p.fraction);
  expect(fractions.length).toBeGreaterThan(10);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  expect(fractions.at(-1)).toBe(1);
  const graph = ((await viz.getWindow('big')).content as GraphContent).graph;
  expect(graph.modelId).toBe(sha256(bytes));
  expect(graph.initializers).toEqual([{ name: 'w', dtype: 'float', shape: [n, n], params: n * n }]);
}, 120_000);
