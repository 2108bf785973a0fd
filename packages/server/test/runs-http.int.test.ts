/**
 * `POST /api/runs`: an analysis run over plain HTTP through the real server
 * and worker. Raw-bytes and image inputs, raw and multipart bodies, progress
 * as server-sent events, the limits (model, pixels, payload), the token,
 * `--readonly`, and a job that times out.
 */
import type { FeatureMapsResult, JobProgress } from '@cnnvis/protocol';
import { conv3x3, fetchMap, uploadModel } from '../../../test/support/analysis';
import { errorOf, postParts, sseEvents, useRouteServer } from '../../../test/support/http-route';
import { endlessLoopModel, sha256, SOBEL_BIAS, SOBEL_X, sobelModel } from '../../../test/support/models';
import { encodePng } from '../../../test/support/png-encode';

const H = 8;
const W = 8;
const image = Float32Array.from({ length: H * W }, (_, i) => (Math.floor(i / W) >= 3 && i % W >= 4 ? 1 : 0.2));
const bytesOf = (f: Float32Array) => new Uint8Array(f.buffer, f.byteOffset, f.byteLength);

const route = useRouteServer(() => sobelModel(H, W));

function postRaw(url: string, query: Record<string, string>, body: Uint8Array, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/runs?${new URLSearchParams(query).toString()}`, { method: 'POST', body: new Uint8Array(body), headers });
}

const postMultipart = (url: string, request: unknown, input: Uint8Array, headers: Record<string, string> = {}) => postParts(`${url}/api/runs`, request, [input], headers);

test('a raw float32 body with its shape in the query runs, answers 201 with the layers, and stores the maps', async () => {
  const { url, modelId } = await route.startWithModel();
  const res = await postRaw(url, { modelId, env: 'http', shape: `1,1,${H},${W}`, winPrefix: 'sobel', maxChannels: '2' }, bytesOf(image));
  expect(res.status).toBe(201);
  const result = (await res.json()) as FeatureMapsResult;
  expect(result).toMatchObject({ modelId, env: 'http', win: 'sobel-graph', provider: 'cpu' });
  expect(result.layers.map((l) => [l.op, l.shape])).toEqual([
    ['Conv', [1, 2, H, W]],
    ['Relu', [1, 2, H, W]],
  ]);
  const expected = conv3x3(image, H, W, SOBEL_X, SOBEL_BIAS[0] ?? 0);
  expect(result.layers[0]?.stats.max).toBeGreaterThanOrEqual(Math.max(...expected) - 1e-5);
  const { meta } = await fetchMap(url, result.runId, result.layers[0]?.tensor ?? '');
  expect(meta.channelMax[0]).toBeCloseTo(Math.max(...expected), 5);
  // The window is the socket path's: a graph pane holding this run.
  const win = (await (await fetch(`${url}/api/envs/http/windows/sobel-graph`)).json()) as { content: { run: { runId: string } } };
  expect(win.content.run.runId).toBe(result.runId);
  // `model:graph` over HTTP: the graph alone, in a window of its own.
  const graph = await fetch(`${url}/api/models/${modelId}/graph`, { method: 'POST', body: JSON.stringify({ env: 'http', win: 'arch' }) });
  expect(await graph.json()).toMatchObject({ env: 'http', win: 'arch' });
  expect((await fetch(`${url}/api/envs/http/windows/arch`)).status).toBe(200);
});

test('a multipart body (request JSON and input bytes) runs like the raw one', async () => {
  const { url, modelId } = await route.startWithModel();
  const res = await postMultipart(url, { modelId, env: 'mp', input: { dtype: 'float32', shape: [1, 1, H, W] }, channelStats: true }, bytesOf(image));
  expect(res.status).toBe(201);
  const result = (await res.json()) as FeatureMapsResult;
  expect(result.layers.map((l) => l.channels.length)).toEqual([2, 2]);
});

test('a PNG input, raw or multipart, is preprocessed into the model input', async () => {
  const { url, modelId } = await route.startWithModel();
  // A grey 8×8 PNG: with scale 1/255, mean 0 and std 1 it is the float image above.
  const grey = Uint8Array.from(image, (v) => Math.round(v * 255));
  const png = encodePng({ width: W, height: H, colorType: 0, data: grey });
  const raw = await postRaw(url, { modelId, env: 'img' }, png, { 'content-type': 'image/png' });
  expect(raw.status).toBe(201);
  const viaTensor = (await (await postRaw(url, { modelId, env: 'img', shape: `1,1,${H},${W}` }, bytesOf(image))).json()) as FeatureMapsResult;
  const viaPng = (await raw.json()) as FeatureMapsResult;
  expect(viaPng.layers[0]?.stats.max).toBeCloseTo(viaTensor.layers[0]?.stats.max ?? NaN, 4);
  const mp = await postMultipart(url, { modelId, env: 'img', preprocess: { mean: [0], std: [1] } }, png);
  expect(mp.status).toBe(201);
});

test('bad requests answer 400 naming the field, and the server keeps serving', async () => {
  const { url, modelId } = await route.startWithModel();
  const wrongShape = await postRaw(url, { modelId, shape: '1,1,4,4' }, bytesOf(image));
  expect(wrongShape.status).toBe(400);
  expect((await errorOf(wrongShape)).message).toMatch(/input\.data: holds 256 bytes but shape \[1, 1, 4, 4\] needs 64/);
  const notImage = await postRaw(url, { modelId }, new Uint8Array(16));
  expect((await errorOf(notImage)).message).toMatch(/input: is neither a PNG nor a JPEG/);
  const unknownField = await postRaw(url, { modelId, shape: `1,1,${H},${W}`, colour: 'red' }, bytesOf(image));
  expect((await errorOf(unknownField)).message).toMatch(/colour/);
  const noModel = await postRaw(url, { modelId: sha256(new Uint8Array([1])), shape: `1,1,${H},${W}` }, bytesOf(image));
  expect(noModel.status).toBe(404);
  const noRequest = await fetch(`${url}/api/runs`, { method: 'POST', body: new FormData() });
  expect(noRequest.status).toBe(400);
  expect((await errorOf(noRequest)).message).toMatch(/request: is missing/);
  // The model's input is [1, 1, 8, 8]: the worker names the mismatch.
  const modelShape = await postRaw(url, { modelId, shape: '1,1,4,16' }, bytesOf(image));
  expect(modelShape.status).toBe(400);
  expect((await errorOf(modelShape)).message).toMatch(/input shape \[1, 1, 4, 16\] does not fit the model's input 'image' \[batch, 1, 8, 8\]/);
  expect((await postRaw(url, { modelId, shape: `1,1,${H},${W}` }, bytesOf(image))).status).toBe(201);
});

test('with Accept: text/event-stream, progress streams as events ending in the result', async () => {
  const { url, modelId } = await route.startWithModel();
  const res = await postRaw(url, { modelId, env: 'sse', shape: `1,1,${H},${W}` }, bytesOf(image), { accept: 'text/event-stream' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const all = await sseEvents(res);
  const progress = all.filter(([e]) => e === 'progress').map(([, p]) => p as JobProgress);
  expect(progress[0]?.stage).toBe('queued');
  expect(progress.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
  const [last, result] = all.at(-1) ?? [];
  expect(last).toBe('result');
  expect((result as FeatureMapsResult).layers).toHaveLength(2);
  // Refused before its job is queued: the plain JSON error and its status.
  const bad = await postRaw(url, { modelId, shape: '1,1,2,2' }, bytesOf(image), { accept: 'text/event-stream' });
  expect(bad.status).toBe(400);
});

test('limits: an image over --max-image-pixels, a body over --max-payload, a model over --max-model-size', async () => {
  const { url, modelId } = await route.startWithModel({ maxImagePixels: 100, maxPayloadBytes: 4096, maxModelBytes: 4096 });
  const big = encodePng({ width: 20, height: 20, colorType: 0, data: new Uint8Array(400) });
  const pixels = await postRaw(url, { modelId }, big);
  expect(pixels.status).toBe(413);
  expect((await errorOf(pixels)).message).toMatch(/input: a 20×20 image has 400 pixels, more than the limit of 100/);
  const declared = await postRaw(url, { modelId, shape: '1,1,40,40' }, new Uint8Array(6400));
  expect(declared.status).toBe(413);
  expect((await errorOf(declared)).message).toMatch(/--max-payload/);
  // Chunked, so no length is declared: the body reader stops at the limit.
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array(6400));
      c.close();
    },
  });
  const chunked = await fetch(`${url}/api/runs?modelId=${modelId}&shape=1,1,40,40`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
  expect(chunked.status).toBe(413);
  // A chunked multipart body is bounded the same way, as its parts are read.
  const enc = (s: string) => new TextEncoder().encode(s);
  const parts = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc(`--b0undary\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify({ modelId, input: { dtype: 'float32', shape: [1, 1, 40, 40] } })}\r\n`));
      c.enqueue(enc('--b0undary\r\nContent-Disposition: form-data; name="input"; filename="x"\r\n\r\n'));
      c.enqueue(new Uint8Array(6400));
      c.enqueue(enc('\r\n--b0undary--\r\n'));
      c.close();
    },
  });
  const multipart = await fetch(`${url}/api/runs`, { method: 'POST', body: parts, headers: { 'content-type': 'multipart/form-data; boundary=b0undary' }, duplex: 'half' } as RequestInit);
  expect(multipart.status).toBe(413);
  expect((await errorOf(multipart)).message).toMatch(/body: larger than the limit of 4096 bytes \(see --max-payload\)/);
  const model = await fetch(`${url}/api/models/${sha256(new Uint8Array(5000))}`, { method: 'PUT', body: new Uint8Array(5000) });
  expect(model.status).toBe(413);
  expect((await postRaw(url, { modelId, shape: `1,1,${H},${W}` }, bytesOf(image))).status).toBe(201);
});

test('the token: none gives 401 with the message, the right one runs', async () => {
  const server = await route.start({ token: 'sesame' });
  const auth = { authorization: 'Bearer sesame' };
  const bytes = sobelModel(H, W);
  const modelId = sha256(bytes);
  expect((await fetch(`${server.url}/api/models/${modelId}`, { method: 'PUT', body: new Uint8Array(bytes), headers: auth })).status).toBe(201);
  const refused = await postRaw(server.url, { modelId, shape: `1,1,${H},${W}` }, bytesOf(image));
  expect(refused.status).toBe(401);
  expect((await errorOf(refused)).message).toMatch(/needs its token/);
  expect((await postRaw(server.url, { modelId, shape: `1,1,${H},${W}` }, bytesOf(image), auth)).status).toBe(201);
});

test('--readonly refuses a run with 403', async () => {
  const server = await route.start({ readonly: true });
  const res = await postRaw(server.url, { modelId: sha256(new Uint8Array([1])), shape: `1,1,${H},${W}` }, bytesOf(image));
  expect(res.status).toBe(403);
  expect((await errorOf(res)).message).toMatch(/read-only/);
});

test('a job that times out answers 504 TIMEOUT (plain) or ends its stream with the error event', async () => {
  const server = await route.start({ jobTimeoutMs: 2000 });
  const modelId = await uploadModel(server.url, endlessLoopModel());
  const input = bytesOf(new Float32Array([0]));
  const plain = await postRaw(server.url, { modelId, shape: '1' }, input);
  expect(plain.status).toBe(504);
  expect(await errorOf(plain)).toMatchObject({ code: 'TIMEOUT' });
  const streamed = await sseEvents(await postRaw(server.url, { modelId, shape: '1' }, input, { accept: 'text/event-stream' }));
  expect(streamed.at(-1)).toEqual(['error', expect.objectContaining({ code: 'TIMEOUT' })]);
  expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok');
});
