/**
 * `analysis:run` over socket.io with the real worker (ONNX Runtime): the
 * answer, the progress pushes, the stored feature maps and filters (fetched
 * over HTTP and checked against a naive convolution), the graph window, and
 * what happens to the blobs when the window is replaced or its env deleted.
 * `model:filters`, over socket.io and HTTP: panes made from the model's
 * weights, with no run.
 */
import { PNG } from 'pngjs';
import type { FeatureMapsResult, FilterMeta, FiltersResult, GraphContent, ImageContent, JobProgress, PlotContent, RuntimeStatus, Window } from '@cnnvis/protocol';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { call, callOk, connectSocket, record, type TestSocket } from '../../../test/support/socket-client';
import { conv3x3, fetchMap, tensorInput, uploadModel } from '../../../test/support/analysis';
import { RESNET_CONV1, resnetNamedModel, SOBEL_BIAS, SOBEL_X, SOBEL_Y, sobelModel } from '../../../test/support/models';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

let server: TestServer;
let socket: TestSocket;
let modelId: string;

/** An 8×8 image: a bright square in the lower right, so both Sobel kernels see edges. */
const H = 8;
const W = 8;
const image = Float32Array.from({ length: H * W }, (_, i) => (Math.floor(i / W) >= 3 && i % W >= 4 ? 1 : 0.2));

beforeAll(async () => {
  server = await startServer();
  socket = await connectSocket(server.url);
  modelId = await uploadModel(server.url, sobelModel(H, W));
});
afterAll(async () => {
  socket.close();
  await server.close();
});

const run = (extra: Record<string, unknown> = {}) =>
  call<FeatureMapsResult>(socket, 'analysis:run', { env: 'a', modelId, input: tensorInput(image, [1, 1, H, W]), ...extra });

test('a run answers with every layer, pushes progress, and stores maps equal to a naive convolution', async () => {
  const progress = record(socket, ['job:progress']);
  const res = await run({ jobId: 'job-1', maxChannels: 2 });
  if ('error' in res) throw new Error(res.error.message);
  const result = res.data;
  expect(result).toMatchObject({ modelId, env: 'a', win: 'fm-graph', provider: 'cpu' });
  expect(result.layers.map((l) => [l.node, l.op, l.shape])).toEqual([
    ['/sobel/conv/Conv', 'Conv', [1, 2, H, W]],
    ['/sobel/Relu', 'Relu', [1, 2, H, W]],
  ]);
  expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.runMs);

  const stages = progress.map((p) => p.payload as JobProgress);
  expect(stages.every((p) => p.jobId === 'job-1' && p.modelId === modelId && p.env === 'a')).toBe(true);
  expect(stages[0]?.stage).toBe('queued');
  expect(stages.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });

  const conv = result.layers[0];
  if (conv === undefined) throw new Error('no conv layer');
  const { meta, values, bytes } = await fetchMap(server.url, result.runId, conv.tensor);
  expect(meta.shape).toEqual([2, H, W]);
  expect(bytes).toHaveLength(2 * H * W);
  [SOBEL_X, SOBEL_Y].forEach((kernel, c) => {
    const expected = conv3x3(image, H, W, kernel, SOBEL_BIAS[c] ?? 0);
    const step = ((meta.channelMax[c] ?? 0) - (meta.channelMin[c] ?? 0)) / 255;
    expected.forEach((v, i) => expect(Math.abs((values[c * H * W + i] ?? NaN) - v)).toBeLessThanOrEqual(step / 2 + 1e-5));
    expect(meta.channelMin[c]).toBeCloseTo(Math.min(...expected), 5);
    expect(meta.channelMax[c]).toBeCloseTo(Math.max(...expected), 5);
  });
  // The graph input is stored too, so a browser can show what the first layer read.
  const input = await fetchMap(server.url, result.runId, 'image');
  expect(input.meta.shape).toEqual([1, H, W]);
});

test("a conv layer's filters are stored: header JSON and 8-bit bytes", async () => {
  const res = await run();
  if ('error' in res) throw new Error(res.error.message);
  const path = `/api/runs/${res.data.runId}/filters/${encodeURIComponent('/sobel/conv/Conv')}`;
  const meta = (await (await fetch(server.url + path)).json()) as FilterMeta;
  expect(meta).toMatchObject({ node: '/sobel/conv/Conv', shape: [2, 1, 3, 3], min: -2, max: 2 });
  expect(meta.histogram.counts.reduce((a, b) => a + b, 0)).toBe(18);
  const data = await fetch(server.url + meta.url);
  expect(data.headers.get('cache-control')).toMatch(/immutable/);
  const q = new Uint8Array(await data.arrayBuffer());
  expect(Array.from(q, (v) => Math.round(-2 + (v / 255) * 4))).toEqual([...SOBEL_X, ...SOBEL_Y]);
  const relu = await fetch(`${server.url}/api/runs/${res.data.runId}/filters/${encodeURIComponent('/sobel/Relu')}`);
  expect(relu.status).toBe(404);
  expect(((await relu.json()) as { error: { message: string } }).error.message).toMatch(/no filters for node '\/sobel\/Relu'/);
});

test('the graph window shows the run; a watcher sees it created and the job progress', async () => {
  const watcher = await connectSocket(server.url);
  await callOk(watcher, 'env:subscribe', { env: 'watched' });
  const seen = record(watcher, ['window:created', 'job:progress']);
  const res = await run({ env: 'watched', winPrefix: 'sobel' });
  if ('error' in res) throw new Error(res.error.message);
  const win = await callOk<Window>(socket, 'window:get', { env: 'watched', win: 'sobel-graph' });
  expect(win.kind).toBe('graph');
  const content = win.content as GraphContent;
  expect(content.run?.runId).toBe(res.data.runId);
  // The window always has per-channel statistics; the answer has them only when asked.
  expect(content.run?.layers.map((l) => ({ ...l, channels: [] }))).toEqual(res.data.layers);
  expect(content.run?.layers.map((l) => l.channels.length)).toEqual([2, 2]);
  const full = await run({ env: 'watched', winPrefix: 'sobel', channelStats: true });
  if ('error' in full) throw new Error(full.error.message);
  expect(full.data.layers.map((l) => l.channels.length)).toEqual([2, 2]);
  expect(full.data.layers[0]?.channels[0]).toEqual(content.run?.layers[0]?.channels[0]);
  expect(content.graph.edges.find((e) => e.tensor === 'edges')?.shape).toEqual([1, 2, H, W]);
  const created = seen.find((e) => e.event === 'window:created' && (e.payload as Window).id === 'sobel-graph')?.payload as Window | undefined;
  // The statistics reach the store packed; a watcher still gets them as objects.
  expect((created?.content as GraphContent | undefined)?.run?.layers.map((l) => l.channels.length)).toEqual([2, 2]);
  expect(seen.filter((e) => e.event === 'job:progress').map((e) => (e.payload as JobProgress).stage)).toContain('done');
  watcher.close();
});

test('a window keeps its runs; replacing it by a graph without a run, or deleting its env, takes their blobs along; a fork keeps them', async () => {
  const first = await run({ env: 'gc' });
  const second = await run({ env: 'gc' });
  if ('error' in first || 'error' in second) throw new Error('run failed');
  const mapUrl = (runId: string) => `${server.url}/api/runs/${runId}/maps/edges`;
  expect((await fetch(mapUrl(first.data.runId))).status).toBe(200);
  await callOk(socket, 'model:graph', { env: 'gc', modelId, win: 'fm-graph' });
  expect((await fetch(mapUrl(first.data.runId))).status).toBe(404);
  const third = await run({ env: 'gc' });
  if ('error' in third) throw new Error('run failed');
  expect((await fetch(mapUrl(second.data.runId))).status).toBe(404);
  expect((await fetch(mapUrl(third.data.runId))).status).toBe(200);
  await callOk(socket, 'env:fork', { from: 'gc', to: 'gc-copy' });
  await callOk(socket, 'env:delete', { env: 'gc' });
  expect((await fetch(mapUrl(third.data.runId))).status).toBe(200);
  await callOk(socket, 'env:delete', { env: 'gc-copy' });
  const gone = await fetch(mapUrl(third.data.runId));
  expect(gone.status).toBe(404);
  expect(((await gone.json()) as { error: { message: string } }).error.message).toMatch(/not found/);
});

test('GET /api/status names the ONNX Runtime version and the providers, the last one used included', async () => {
  const status = (await (await fetch(`${server.url}/api/status`)).json()) as { version: string } & RuntimeStatus;
  expect(status.onnxruntime).toMatch(/^\d+\.\d+\.\d+/);
  expect(status.providers.available).toContain('cpu');
  expect(status.providers.lastUsed).toBe('cpu');
  expect(status.providers.gpu).toBeNull(); // a GPU name only when CUDA ran
});

test('model:graph shows the graph alone', async () => {
  const ack = await callOk(socket, 'model:graph', { env: 'g', modelId, win: 'arch' });
  expect(ack).toMatchObject({ env: 'g', win: 'arch', rev: 1 });
  const win = await callOk<Window>(socket, 'window:get', { env: 'g', win: 'arch' });
  expect((win.content as GraphContent).run).toBeNull();
  expect((win.content as GraphContent).graph.nodes).toHaveLength(2);
});

test.each([
  ['an unknown model', { modelId: 'c'.repeat(64) }, 'NOT_FOUND', /not on this server/],
  ['bytes that do not fit the shape', { input: { dtype: 'float32', shape: [1, 1, 8, 8], data: new Uint8Array(12) } }, 'BAD_REQUEST', /input\.data: holds 12 bytes but shape \[1, 1, 8, 8\] needs 256/],
  ['an input of the wrong shape', { input: tensorInput(new Float32Array(25), [1, 1, 5, 5]) }, 'BAD_REQUEST', /shape|dimension|input/i],
  ['a window prefix with a slash', { winPrefix: 'a/b' }, 'BAD_REQUEST', /winPrefix: makes the window id 'a\/b-graph'/],
  ['an unknown field', { colour: 'red' }, 'BAD_REQUEST', /colour/],
])('%s is refused with a message naming it', async (_name, extra, code, message) => {
  const res = await run(extra);
  if (!('error' in res)) throw new Error('expected an error');
  expect(res.error.code).toBe(code);
  expect(res.error.message).toMatch(message);
});

test('a model known from earlier runs is still checked for its file: once it is gone, a run fails NOT_FOUND', async () => {
  const own = await startServer();
  const s = await connectSocket(own.url);
  try {
    const bytes = sobelModel(4, 4);
    const id = await uploadModel(own.url, bytes);
    const again = () => call<FeatureMapsResult>(s, 'analysis:run', { env: 'k', modelId: id, input: tensorInput(new Float32Array(16), [1, 1, 4, 4]) });
    for (let i = 0; i < 2; i++) expect('data' in (await again())).toBe(true); // the second knows the model
    rmSync(join(own.dataDir, 'models', `${id}.onnx`));
    const gone = await again();
    if (!('error' in gone)) throw new Error('expected an error');
    expect(gone.error.code).toBe('NOT_FOUND');
  } finally {
    s.close();
    await own.close();
  }
});

test('the SDK gets its own progress pushes only for a job it named; a watcher gets them either way', async () => {
  const sdk = await connectSocket(server.url, { client: 'sdk' });
  const pushes = record(sdk, ['job:progress']);
  const watcher = await connectSocket(server.url);
  await callOk(watcher, 'env:subscribe', { env: 'sdk' });
  const watched = record(watcher, ['job:progress']);
  try {
    const request = (extra: Record<string, unknown>) => callOk(sdk, 'analysis:run', { env: 'sdk', modelId, input: tensorInput(image, [1, 1, H, W]), ...extra });
    expect(await request({})).toMatchObject({ env: 'sdk' });
    await eventually(() => watched.some((e) => (e.payload as JobProgress).stage === 'done'));
    expect(pushes).toEqual([]);
    expect(await request({ jobId: 'mine' })).toMatchObject({ env: 'sdk' });
    const stages = pushes.map((e) => [(e.payload as JobProgress).jobId, (e.payload as JobProgress).stage]);
    expect(stages[0]).toEqual(['mine', 'queued']);
    expect(stages.at(-1)).toEqual(['mine', 'done']);
    expect(stages.map((s) => s[1])).toEqual(expect.arrayContaining(['run', 'stats', 'store']));
  } finally {
    watcher.close();
    sdk.close();
  }
});

describe('model:filters', () => {
  let own: TestServer;
  let s: TestSocket;
  let resnet: string;
  const status = async () => ((await (await fetch(`${own.url}/api/status`)).json()) as RuntimeStatus).providers;
  const windows = async (env: string) => ((await (await fetch(`${own.url}/api/envs/${env}/windows`)).json()) as Window[]).map((w) => w.id);

  beforeAll(async () => {
    own = await startServer();
    s = await connectSocket(own.url);
    resnet = await uploadModel(own.url, resnetNamedModel());
  });
  afterAll(async () => {
    s.close();
    await own.close();
  });

  test('takes the layer a name picks exactly, reads its weights from the model file and makes its two panes', async () => {
    const result = await callOk<FiltersResult>(s, 'model:filters', { env: 'f', modelId: resnet, layer: 'conv1' });
    expect(result).toEqual({
      modelId: resnet,
      env: 'f',
      layers: [{ node: '/conv1/Conv', shape: [4, 3, 3, 3], min: -1, max: expect.closeTo(53 / 54, 6), win: 'filters-conv1_Conv', histogramWin: 'filters-conv1_Conv-hist' }],
    });
    // The two panes and nothing else: no graph pane, no run.
    expect(await windows('f')).toEqual(['filters-conv1_Conv', 'filters-conv1_Conv-hist']);
    const grid = (await callOk<Window>(s, 'window:get', { env: 'f', win: 'filters-conv1_Conv' })).content as ImageContent;
    expect(grid.images).toEqual([expect.objectContaining({ width: 4 * 26 + 2, height: 28, caption: expect.stringMatching(/^4 of 4 filters \(RGB\), 3×3/) })]);
    // Filter 0's top-left weights, one per input channel, (c·9 − 54)/54, quantised over [-1, 53/54].
    const png = PNG.sync.read(Buffer.from(await (await fetch(own.url + (grid.images[0]?.url ?? ''))).arrayBuffer()));
    const at = (2 * png.width + 2) * 4;
    const q = (w: number) => Math.round(((w + 1) / (53 / 54 + 1)) * 255);
    expect([...png.data.subarray(at, at + 3)]).toEqual([0, 1, 2].map((c) => q(RESNET_CONV1[c * 9] ?? NaN)));
    const hist = (await callOk<Window>(s, 'window:get', { env: 'f', win: 'filters-conv1_Conv-hist' })).content as PlotContent;
    expect((hist.traces[0]?.y as number[]).reduce((a, b) => a + b, 0)).toBe(4 * 3 * 3 * 3);
  });

  test('runs nothing: the model cannot run at all, and no job has run on the server', async () => {
    await callOk(s, 'model:filters', { env: 'n', modelId: resnet });
    expect(await windows('n')).toHaveLength(2 * 5);
    expect((await status()).lastUsed).toBeNull();
    const ran = await call(s, 'analysis:run', { env: 'n', modelId: resnet, input: tensorInput(new Float32Array(3 * 4 * 4), [1, 3, 4, 4]) });
    expect('error' in ran).toBe(true);
  });

  test('over HTTP: a name part picks every conv it is in, and a miss is a 400 naming the conv layers', async () => {
    const post = (body: unknown) => fetch(`${own.url}/api/models/${resnet}/filters`, { method: 'POST', body: JSON.stringify(body) });
    const res = await post({ env: 'h', layer: 'layer1.0', winPrefix: 'w', maxFilters: 2 });
    expect(res.status).toBe(200);
    const result = (await res.json()) as FiltersResult;
    expect(result.layers.map((l) => [l.node, l.win])).toEqual([
      ['/layer1/layer1.0/conv1/Conv', 'w-layer1_layer1.0_conv1_Conv'],
      ['/layer1/layer1.0/conv2/Conv', 'w-layer1_layer1.0_conv2_Conv'],
    ]);
    const grid = (await callOk<Window>(s, 'window:get', { env: 'h', win: 'w-layer1_layer1.0_conv1_Conv' })).content as ImageContent;
    expect(grid.images[0]?.caption).toMatch(/^2 of 4 filters × 4 of 4 inputs, 3×3/);
    const miss = await post({ layer: 'fc' });
    expect(miss.status).toBe(400);
    expect(((await miss.json()) as { error: { message: string } }).error.message).toMatch(/layer: no conv layer matches 'fc' \(conv layers: \/conv1\/Conv, /);
  });
});
