/**
 * Every channel of a wide layer through the real server: a run stores all
 * 130 channels of a 1×1 conv (the default cut was 64), any page of them is
 * fetched with `?from=&count=`, the byte budget cuts every layer alike, and
 * the run records its preprocessing and labels for the UI.
 */
import type { FeatureMapMeta, GraphContent } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { buildModel, floatTensor, node, valueInfo } from '../../../test/support/onnx-builder';
import { encodePng } from './png';

const C = 130;
const H = 32;
const W = 32;
/** Channel c of the conv is (c + 1) · x − c / 10: each channel its own scale and offset. */
const wideModel = () =>
  buildModel({
    inputs: [valueInfo('x', 'float', [1, 1, H, W])],
    outputs: [valueInfo('y', 'float', null)],
    initializers: [
      floatTensor('w', [C, 1, 1, 1], Array.from({ length: C }, (_, c) => c + 1)),
      floatTensor('b', [C], Array.from({ length: C }, (_, c) => -c / 10)),
    ],
    nodes: [node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [1, 1] }, '/wide/Conv')],
  });
const image = Float32Array.from({ length: H * W }, (_, i) => (i % W) / W);

let server: TestServer;
let viz: CnnVis;
beforeAll(async () => {
  server = await startServer();
  viz = new CnnVis({ url: server.url, env: 'pages' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
});

const meta = async (runId: string): Promise<FeatureMapMeta> => {
  const res = await fetch(`${server.url}/api/runs/${runId}/maps/y`);
  expect(res.status).toBe(200);
  return (await res.json()) as FeatureMapMeta;
};
const page = (m: FeatureMapMeta, query: string) => fetch(`${server.url}${m.url}?${query}`);

test('every channel is stored, and any page of them comes back with its own values', async () => {
  const result = await viz.featureMaps(wideModel(), { data: image, shape: [1, 1, H, W] }, { winPrefix: 'wide' });
  const m = await meta(result.runId);
  expect(m.shape).toEqual([C, H, W]);
  expect(m.channelMax).toHaveLength(C);

  // The last channel alone: (C) · x − (C − 1) / 10 at each pixel, to 1/255 of its range.
  const last = await page(m, `from=${C - 1}&count=1`);
  expect(last.status).toBe(200);
  const bytes = new Uint8Array(await last.arrayBuffer());
  expect(bytes).toHaveLength(H * W);
  const [lo, hi] = [m.channelMin[C - 1] ?? 0, m.channelMax[C - 1] ?? 0];
  for (let i = 0; i < H * W; i++) {
    const want = C * (image[i] ?? 0) - (C - 1) / 10;
    expect(Math.abs(lo + ((bytes[i] ?? 0) / 255) * (hi - lo) - want)).toBeLessThanOrEqual((hi - lo) / 255);
  }

  // A page past the end is clipped to the last channel; the whole map is the pages side by side.
  const tail = new Uint8Array(await (await page(m, `from=128&count=64`)).arrayBuffer());
  const all = new Uint8Array(await (await fetch(server.url + m.url)).arrayBuffer());
  expect(tail).toHaveLength(2 * H * W);
  expect(Buffer.compare(Buffer.from(tail), Buffer.from(all.subarray(128 * H * W)))).toBe(0);
});

test('a bad page is a 400 naming the field; the server goes on serving', async () => {
  const result = await viz.featureMaps(wideModel(), { data: image, shape: [1, 1, H, W] }, { winPrefix: 'bad' });
  const m = await meta(result.runId);
  for (const [query, field] of [['from=130', 'from'], ['from=-1', 'from'], ['count=0', 'count'], ['from=1&from=2', 'from'], ['count=x', 'count']] as const) {
    const res = await page(m, query);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
  }
  expect((await page(m, 'from=0&count=1')).status).toBe(200);
});

test('maxMapBytes cuts every layer to the same channel count; maxChannels still caps it', async () => {
  const budget = 1 << 16; // the input's 1,024 bytes + 63 channels of 1,024
  const cut = await viz.featureMaps(wideModel(), { data: image, shape: [1, 1, H, W] }, { winPrefix: 'cut', maxMapBytes: budget });
  expect((await meta(cut.runId)).shape).toEqual([63, H, W]);
  const capped = await viz.featureMaps(wideModel(), { data: image, shape: [1, 1, H, W] }, { winPrefix: 'cap', maxChannels: 5 });
  expect((await meta(capped.runId)).shape).toEqual([5, H, W]);
});

test('the run records its input, the preprocessing it was given and the labels', async () => {
  const rgb = buildModel({
    inputs: [valueInfo('img', 'float', [1, 3, 4, 4])],
    outputs: [valueInfo('r', 'float', null)],
    nodes: [node('Relu', ['img'], ['r'], {}, '/relu/Relu')],
  });
  const png = encodePng(Uint8Array.from({ length: 48 }, (_, i) => (i * 5) % 256), 4, 4, 3);
  const preprocess = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
  const result = await viz.featureMaps(rgb, png, { winPrefix: 'rec', preprocess, labels: ['a', 'b'] });
  const win = await viz.getWindow(result.win);
  const run = (win.content as GraphContent).run;
  expect(run?.input).toEqual({ tensor: 'img', image: true, preprocess });
  expect(run?.labels).toEqual(['a', 'b']);
});
