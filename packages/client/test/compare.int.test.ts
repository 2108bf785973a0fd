/**
 * `viz.compare` and `GET /api/runs/:a/compare/:b` end to end (SDK, real
 * server, real worker), checked against numpy on PyTorch's activations of
 * the committed fixtures (packages/worker/fixtures-src/make-compare-fixtures.py):
 * the same input twice, two inputs, two checkpoints whose weights differ on
 * one layer, and an fp32 model against its int8 QDQ copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareResult, FeatureMapsResult, LayerCompare } from '@cnnvis/protocol';
import { CnnVis, isCnnvisClientError } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const MODEL_A = join(FIXTURES, 'compare-a.onnx');
const MODEL_B = join(FIXTURES, 'compare-b.onnx');
const MODEL_QDQ = join(FIXTURES, 'compare-qdq.onnx');

type Metrics = { cosine: number | null; relL2: number | null; meanAbsDiff: number };
interface Reference {
  x1: { shape: number[]; data: number[] };
  x2: { shape: number[]; data: number[] };
  /** `inputs`/`checkpoints`: over the float activations; `…8`: over the same as 8-bit maps store them. */
  layers: Array<{ module: string; node: string; shape: number[]; inputs: Metrics; checkpoints: Metrics; inputs8: Metrics; checkpoints8: Metrics }>;
  weights: Record<string, number>;
  /** Per conv and fc node: the change of its weight and bias from fp32 to the int8 QDQ copy. */
  qdqWeights: Record<string, number>;
}
const ref = JSON.parse(readFileSync(join(FIXTURES, 'compare-reference.json'), 'utf8')) as Reference;
const x1 = { data: Float32Array.from(ref.x1.data), shape: ref.x1.shape };
const x2 = { data: Float32Array.from(ref.x2.data), shape: ref.x2.shape };

let server: TestServer;
let viz: CnnVis;
let a1: FeatureMapsResult;

beforeAll(async () => {
  server = await startServer({ provider: 'cpu' });
  viz = new CnnVis({ url: server.url, env: 'compare' });
  a1 = await viz.featureMaps(MODEL_A, x1, { win: 'cmp', step: 1, label: 'a, x1' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
});

const byId = (result: CompareResult) => new Map<string, LayerCompare>(result.layers.map((l) => [l.id, l]));

/**
 * The reference of a layer's figures as the server's maps hold it: the `…8`
 * figures quantise a flat output over one range, but a flat output of up to
 * 4,096 values is stored exactly, so for those the float figures are it.
 */
const exactFlat = (r: Reference['layers'][number]) => r.shape.length === 1 && (r.shape[0] ?? 0) <= 4096;

/** |got − want| for each figure, NaN where either is missing. */
const gaps = (l: LayerCompare | undefined, want: Metrics) =>
  (['cosine', 'relL2', 'meanAbsDiff'] as const).map((k) => Math.abs((l?.[k] ?? NaN) - (want[k] ?? NaN)));

test('the same input twice: cosine 1, relL2 0 and no difference on every layer', async () => {
  const again = await viz.featureMaps(MODEL_A, x1, { win: 'cmp', step: 2 });
  const result = await viz.compare(a1, again);
  expect(result.a.runId).toBe(a1.runId);
  expect(result.unmatched).toEqual([]);
  expect(result.layers.length).toBe(a1.layers.length);
  for (const l of result.layers) {
    expect(l.cosine).toBeCloseTo(1, 12);
    expect([l.relL2, l.meanAbsDiff, l.channels[0]?.meanAbsDiff]).toEqual([0, 0, 0]);
    expect(l.weightRelL2).toBeUndefined(); // one model: its weights did not change
  }
});

test("two inputs: per-layer figures within 1e-4 of numpy's on the same 8-bit maps, within 4e-4 of the float activations'", async () => {
  const a2 = await viz.featureMaps(MODEL_A, x2, { win: 'cmp', step: 3 });
  const layers = byId(await viz.compare(a1, a2));
  for (const r of ref.layers) {
    const l = layers.get(r.node);
    expect(l?.shape.slice(1)).toEqual(r.shape);
    for (const gap of gaps(l, exactFlat(r) ? r.inputs : r.inputs8)) expect(gap).toBeLessThan(1e-4);
    // The 8-bit maps move each value by up to half a step of its channel's range.
    for (const gap of gaps(l, r.inputs)) expect(gap).toBeLessThan(4e-4);
    // A flat output stored exactly compares value by value, each its own channel.
    expect(l?.channels).toHaveLength(Math.min(5, r.shape.length === 3 || exactFlat(r) ? (r.shape[0] ?? 0) : 1));
  }
});

test('two checkpoints differing in one layer: the weight change is on that layer alone, the activation change from it on', async () => {
  const b1 = await viz.featureMaps(MODEL_B, x1, { win: 'cmp', step: 4 });
  const result = await viz.compare(a1, b1);
  const layers = byId(result);
  expect(result.unmatched).toEqual([]);
  expect(layers.get('/conv1/Conv')?.weightRelL2).toBe(0);
  expect(layers.get('/fc/Gemm')?.weightRelL2).toBe(0);
  // numpy's figure is over conv2's weight and bias together: its bias did not change.
  const w = ref.weights['conv2.weight'] ?? NaN;
  expect(layers.get('/conv2/Conv')?.weightRelL2).toBeGreaterThan(0.9 * w);
  expect(layers.get('/conv2/Conv')?.weightRelL2).toBeLessThanOrEqual(w + 1e-6);
  for (const r of ref.layers) {
    const l = layers.get(r.node);
    if (r.checkpoints.relL2 === 0) expect(l?.relL2).toBe(0);
    else for (const gap of gaps(l, exactFlat(r) ? r.checkpoints : r.checkpoints8)) expect(gap).toBeLessThan(1e-4);
  }
  expect(ref.layers.filter((r) => r.checkpoints.relL2 === 0).map((r) => r.module)).toEqual(['conv1', 'relu1']);
});

test('fp32 against its int8 QDQ copy: every fp32 layer matched with its quantisation error, its weights dequantised; the Q/DQ nodes listed as unmatched', async () => {
  const q1 = await viz.featureMaps(MODEL_QDQ, x1, { win: 'cmp', step: 5, label: 'int8' });
  const result = await viz.compare(a1, q1);
  const layers = byId(result);
  for (const r of ref.layers) {
    const l = layers.get(r.node);
    expect(l?.cosine).toBeGreaterThan(0.99);
    expect(l?.relL2).toBeGreaterThan(0);
    expect(l?.relL2).toBeLessThan(0.1);
  }
  // The copy's int8 weights, dequantised, against the fp32 ones: numpy's figures.
  for (const [id, change] of Object.entries(ref.qdqWeights)) expect(Math.abs((layers.get(id)?.weightRelL2 ?? NaN) - change)).toBeLessThan(1e-6);
  expect(layers.get('/relu1/Relu')?.weightRelL2).toBeUndefined();
  expect(result.unmatched.length).toBeGreaterThan(0);
  expect(result.unmatched.every((u) => u.run === 'b' && /QuantizeLinear|DequantizeLinear|DequantizeWeight/.test(u.id))).toBe(true);
});

test('over HTTP: the same answer, by run id or by step with ?win=; bad refs are clear 4xx', async () => {
  const viaSdk = await viz.compare(1, 3, { win: 'cmp', topChannels: 2 });
  const res = await fetch(`${server.url}/api/runs/1/compare/3?win=cmp&env=compare&top=2`);
  expect(res.status).toBe(200);
  const viaHttp = (await res.json()) as CompareResult;
  expect(viaHttp).toEqual(viaSdk);
  const byRunId = (await (await fetch(`${server.url}/api/runs/${viaSdk.a.runId}/compare/${viaSdk.b.runId}?top=2`)).json()) as CompareResult;
  expect(byRunId.layers).toEqual(viaSdk.layers);

  const missing = await fetch(`${server.url}/api/runs/run_nope/compare/${a1.runId}`);
  expect(missing.status).toBe(404);
  expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/run_nope/);
  const noStep = await viz.compare(a1, 99, { win: 'cmp' }).catch((e: unknown) => e);
  expect(isCnnvisClientError(noStep) && noStep.code).toBe('NOT_FOUND');
  await expect(viz.compare(a1, 3)).rejects.toThrow(/win/);
});
