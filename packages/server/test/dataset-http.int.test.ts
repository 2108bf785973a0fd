/**
 * `POST /api/dataset-stats`: statistics over many inputs over plain HTTP,
 * through the real server and worker, on the dead-clip fixture (a ReLU
 * channel with bias −100, a Clip(0, 0.5)) and its numpy reference. Tensor
 * and image parts, server-sent progress, the spool file removed, and the
 * limits and faults answered 4xx with the server still serving.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetResult, JobProgress } from '@cnnvis/protocol';
import { errorOf, postParts, sseEvents, useRouteServer } from '../../../test/support/http-route';
import { eventually } from '../../../test/support/start-server';
import { encodePng } from '../../../test/support/png-encode';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as {
  inputs: { shape: number[]; data: number[][] };
  relu: { tensor: string; dead: number[] };
  clip: { tensor: string; bounds: [number, number]; saturated: number[]; mean: number[] };
};
const tensors = ref.inputs.data.map((d) => new Uint8Array(Float32Array.from(d).buffer));
const png = (v: (i: number) => number, side = 8) => new Uint8Array(encodePng({ width: side, height: side, colorType: 0, data: Uint8Array.from({ length: side * side }, (_, i) => v(i)) }));

const route = useRouteServer(() => readFileSync(join(FIXTURES, 'dead-clip.onnx')));
const post = (url: string, request: unknown, inputs: Uint8Array[], headers: Record<string, string> = {}) => postParts(`${url}/api/dataset-stats`, request, inputs, headers);
const spoolFiles = () => readdirSync(join(route.server.dataDir, 'models')).filter((f) => f.startsWith('.upload-'));

test('float32 tensor parts: the dead ReLU channel and the Clip saturation match numpy, the panes are stored, the spool is gone', async () => {
  const { url, modelId } = await route.startWithModel();
  const res = await post(url, { modelId, env: 'ds', win: 'stats', batch: 5, topK: 3, input: { dtype: 'float32', shape: ref.inputs.shape } }, tensors);
  expect(res.status).toBe(201);
  const out = (await res.json()) as DatasetResult;
  expect(out).toMatchObject({ modelId, env: 'ds', win: 'stats', deadWin: 'stats-dead', inputs: 12, batch: 5, runs: 3 });
  const relu = out.layers.find((l) => l.tensor === ref.relu.tensor);
  expect(relu?.dead).toEqual(ref.relu.dead);
  expect(relu?.deadChannels).toEqual([2]);
  const clip = out.layers.find((l) => l.tensor === ref.clip.tensor);
  expect(clip?.bounds).toEqual(ref.clip.bounds);
  ref.clip.saturated.forEach((s, c) => expect(clip?.saturated?.[c]).toBeCloseTo(s, 9));
  ref.clip.mean.forEach((m, c) => expect(clip?.mean[c]).toBeCloseTo(m, 5));
  expect(clip?.top.every((t) => t.length === 3)).toBe(true);
  expect((await fetch(`${url}/api/envs/ds/windows/stats`)).status).toBe(200);
  expect((await fetch(`${url}/api/envs/ds/windows/stats-dead`)).status).toBe(200);
  expect(spoolFiles()).toEqual([]);
});

test('PNG parts with Accept: text/event-stream stream the inputs done, then the result', async () => {
  const { url, modelId } = await route.startWithModel();
  const images = Array.from({ length: 7 }, (_, k) => png((i) => (i * 37 + k * 11) % 256));
  const res = await post(url, { modelId, batch: 2 }, images, { Accept: 'text/event-stream' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = await sseEvents(res);
  const progress = events.filter(([e]) => e === 'progress').map(([, d]) => d as JobProgress);
  expect(progress.some((p) => p.passes?.done === 7 && p.passes.total === 7)).toBe(true);
  const [last, result] = events.at(-1) ?? [];
  expect(last).toBe('result');
  expect(result).toMatchObject({ inputs: 7, runs: 4, win: 'dataset' });
  expect((result as DatasetResult).layers.find((l) => l.tensor === ref.relu.tensor)?.deadChannels).toEqual([2]);
});

test('faults in the parts are 400s naming the part, checked as they arrive', async () => {
  const { url, modelId } = await route.startWithModel();
  const tensor = { dtype: 'float32', shape: ref.inputs.shape };
  const cases: Array<[unknown, Uint8Array[], RegExp]> = [
    [undefined, tensors.slice(0, 1), /request: must come first/],
    [{ modelId, input: tensor }, [], /inputs: are missing/],
    [{ modelId, input: tensor }, [tensors[0] as Uint8Array, new Uint8Array(12)], /inputs\[1\]: holds 12 bytes but shape \[1, 1, 8, 8\] needs 256/],
    [{ modelId }, [png(() => 0), new Uint8Array(40)], /inputs\[1\]: is neither a PNG nor a JPEG/],
    [{ modelId, topK: 0 }, [png(() => 0)], /topK/],
  ];
  for (const [request, inputs, message] of cases) {
    const res = await post(url, request, inputs);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(message);
  }
  const raw = await fetch(`${url}/api/dataset-stats`, { method: 'POST', body: 'x', headers: { 'Content-Type': 'application/octet-stream' } });
  expect(raw.status).toBe(400);
  expect((await errorOf(raw)).message).toMatch(/multipart\/form-data/);
  const unknown = await post(url, { modelId: 'a'.repeat(64) }, [png(() => 0)]);
  expect(unknown.status).toBe(404);
  // A model's own fault surfaces from the worker as the job's error.
  const wrongShape = await post(url, { modelId, input: { dtype: 'float32', shape: [1, 1, 4, 4] } }, [new Uint8Array(64)]);
  expect(wrongShape.status).toBe(400);
  expect((await errorOf(wrongShape)).message).toMatch(/dimension 2 is 4, the model needs 8/);
  expect(spoolFiles()).toEqual([]);
});

test('one input over --max-payload and an image over --max-image-pixels are 413s, and the server keeps serving', async () => {
  const { url, modelId } = await route.startWithModel({ maxPayloadBytes: 4096, maxImagePixels: 100 });
  const big = await post(url, { modelId, input: { dtype: 'float32', shape: [1, 1, 40, 40] } }, [new Uint8Array(6400)]);
  expect(big.status).toBe(413);
  expect((await errorOf(big)).message).toMatch(/inputs\[0\]: larger than the limit of 4096 bytes \(see --max-payload\)/);
  const pixels = await post(url, { modelId }, [png(() => 0), png(() => 0, 11)]);
  expect(pixels.status).toBe(413);
  expect((await errorOf(pixels)).message).toMatch(/inputs\[1\]: a 11×11 image has 121 pixels/);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(spoolFiles()).toEqual([]);
});

test('inputs over --max-model-size in all are a 413', async () => {
  const { url, modelId } = await route.startWithModel({ maxModelBytes: 3000 });
  const res = await post(url, { modelId, input: { dtype: 'float32', shape: ref.inputs.shape } }, tensors);
  expect(res.status).toBe(413);
  expect((await errorOf(res)).message).toMatch(/inputs: more than the limit of 3000 bytes in all \(see --max-model-size\)/);
  expect(spoolFiles()).toEqual([]);
});

test('an upload past --max-concurrent-uploads is a 503 while another one spools', async () => {
  const { url, modelId } = await route.startWithModel({ maxConcurrentUploads: 1 });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const enc = (s: string) => new TextEncoder().encode(s);
  const part = (head: string) => enc(`--b0undary\r\nContent-Disposition: form-data; ${head}\r\n\r\n`);
  const body = new ReadableStream<Uint8Array>({
    async start(ctrl) {
      ctrl.enqueue(part('name="request"'));
      ctrl.enqueue(enc(`${JSON.stringify({ modelId })}\r\n`));
      await held;
      ctrl.enqueue(part('name="input"; filename="a.png"'));
      ctrl.enqueue(png(() => 9));
      ctrl.enqueue(enc('\r\n--b0undary--\r\n'));
      ctrl.close();
    },
  });
  const first = fetch(`${url}/api/dataset-stats`, { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=b0undary' }, duplex: 'half' } as RequestInit);
  await eventually(() => spoolFiles().length === 1);
  const second = await post(url, { modelId }, [png(() => 0)]);
  expect(second.status).toBe(503);
  expect((await errorOf(second)).message).toMatch(/--max-concurrent-uploads/);
  release();
  expect((await first).status).toBe(201);
});

test('a client that goes away mid-upload leaves no spool file behind, and the server keeps serving', async () => {
  const { url, modelId } = await route.startWithModel();
  const enc = (s: string) => new TextEncoder().encode(s);
  let cut = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(ctrl) {
      ctrl.enqueue(enc(`--b0undary\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify({ modelId })}\r\n`));
      ctrl.enqueue(enc('--b0undary\r\nContent-Disposition: form-data; name="input"; filename="a.png"\r\n\r\n'));
      ctrl.enqueue(png(() => 1));
      cut = () => ctrl.error(new Error('gone'));
    },
  });
  const sent = fetch(`${url}/api/dataset-stats`, { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=b0undary' }, duplex: 'half' } as RequestInit);
  await eventually(() => spoolFiles().length === 1);
  cut();
  await expect(sent).rejects.toThrow();
  await eventually(() => spoolFiles().length === 0);
  expect((await post(url, { modelId }, [png(() => 0)])).status).toBe(201);
});

test('--readonly refuses dataset statistics with 403', async () => {
  const server = await route.start({ readonly: true });
  const res = await post(server.url, { modelId: 'a'.repeat(64) }, [png(() => 0)]);
  expect(res.status).toBe(403);
});
