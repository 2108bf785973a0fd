/**
 * Attribution end to end, through the real server and worker: `viz.attribution`
 * (occlusion and Score-CAM, progress with the planned passes, the panes it
 * stores) and `POST /api/attributions` (raw and multipart bodies, progress
 * as server-sent events, bad requests named), on the fixtures of
 * packages/worker/fixtures-src/make-attribution-fixtures.py.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisProgress } from '@cnnvis/client';
import { CnnVis } from '@cnnvis/client';
import type { AttributionResult, ErrorBody, ImageContent, PlotContent } from '@cnnvis/protocol';
import { uploadModel } from '../../../test/support/analysis';
import { startServer, type TestServer } from '../../../test/support/start-server';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const QUADRANT = join(FIXTURES, 'quadrant.onnx');
const LINEAR_CAM = join(FIXTURES, 'linear-cam.onnx');
const camRef = JSON.parse(readFileSync(join(FIXTURES, 'linear-cam-reference.json'), 'utf8')) as { input: { data: number[]; shape: number[] }; target: number; scores: number[]; weights: number[] };

let server: TestServer;
let viz: CnnVis;
beforeAll(async () => {
  server = await startServer({ provider: 'cpu' });
  viz = new CnnVis({ url: server.url, env: 'attrib' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
});

/** A 16×16 input with no zeros, so any occluded pixel changes. */
const input = { data: Float32Array.from({ length: 256 }, (_, i) => 1 + ((i * 37) % 11) / 10), shape: [1, 1, 16, 16] };
const bytesOf = (f: Float32Array) => new Uint8Array(f.buffer, f.byteOffset, f.byteLength) as Uint8Array<ArrayBuffer>;
const outsideQuadrant = (heatmap: number[]) => heatmap.filter((v, i) => (Math.floor(i / 16) >= 8 || i % 16 >= 8) && v !== 0);

test('viz.attribution: occlusion maps only the quadrant the model reads, with the passes known before the first and two panes stored', async () => {
  const progress: AnalysisProgress[] = [];
  const labels = ['zero', 'one', 'two', 'three'];
  const r = await viz.attribution(QUADRANT, input, { method: 'occlusion', patch: 4, stride: 4, batch: 4, labels, win: 'where', onProgress: (p) => progress.push(p) });
  expect(r).toMatchObject({ env: 'attrib', win: 'where', heatmapWin: 'where-heatmap', method: 'occlusion', passes: 16, runs: 4, batch: 4, shape: [16, 16], patch: 4, stride: 4, fill: 0, provider: 'cpu' });
  expect(r.targetLabel).toBe(labels[r.target]);
  expect(outsideQuadrant(r.heatmap)).toEqual([]);
  expect(r.heatmap.filter((v) => v !== 0)).toHaveLength(64);
  const passes = progress.flatMap((p) => (p.passes ? [p.passes] : []));
  expect(passes[0]).toEqual({ done: 0, total: 16 });
  expect(passes.at(-1)).toEqual({ done: 16, total: 16 });

  const pane = await viz.getWindow('where');
  expect(pane.kind).toBe('image');
  expect((pane.content as ImageContent).images.map((i) => i.caption)).toEqual(['input', 'input and occlusion map', 'occlusion map']);
  expect(pane.opts.title).toContain(`${labels[r.target] ?? ''} (${r.target})`);
  const plot = (await viz.getWindow('where-heatmap')).content as PlotContent;
  expect(plot.traces[0]?.z?.[0]?.slice(0, 8)).toEqual(r.heatmap.slice(0, 8));
});

test("viz.attribution: Score-CAM's channel weights match numpy's on a linear model with a fixed batch", async () => {
  const r = await viz.attribution(LINEAR_CAM, { data: camRef.input.data, shape: camRef.input.shape }, { method: 'score-cam' });
  expect(r).toMatchObject({ method: 'score-cam', target: camRef.target, layer: '/conv/Conv_output_0', passes: 4, runs: 4, batch: 1 });
  camRef.weights.forEach((w, k) => expect(Math.abs((r.weights?.[k] ?? NaN) - w)).toBeLessThan(1e-4));
  camRef.scores.forEach((s, k) => expect(Math.abs((r.scores?.[k] ?? NaN) - s)).toBeLessThan(1e-4 * Math.max(1, Math.abs(s))));
  await expect(viz.attribution(LINEAR_CAM, { data: camRef.input.data, shape: camRef.input.shape }, { method: 'score-cam', layer: 'nope' })).rejects.toMatchObject({
    code: 'BAD_REQUEST',
    message: expect.stringContaining("no layer matches 'nope'"),
  });
});

describe('POST /api/attributions', () => {
  let modelId: string;
  beforeAll(async () => {
    modelId = await uploadModel(server.url, readFileSync(QUADRANT));
  });
  const post = (query: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/attributions?${new URLSearchParams(query).toString()}`, { method: 'POST', body: bytesOf(input.data), headers });

  test('a raw body with the fields in the query answers 201 with the heatmap; multipart too', async () => {
    const res = await post({ modelId, method: 'occlusion', shape: '1,1,16,16', patch: '4', stride: '4', target: '2', win: 'http' });
    expect(res.status).toBe(201);
    const r = (await res.json()) as AttributionResult;
    expect(r).toMatchObject({ win: 'http', target: 2, passes: 16 });
    expect(outsideQuadrant(r.heatmap)).toEqual([]);
    const form = new FormData();
    form.set('request', JSON.stringify({ modelId, method: 'occlusion', patch: 8, input: { dtype: 'float32', shape: [1, 1, 16, 16] } }));
    form.set('input', new Blob([bytesOf(input.data)]), 'input.bin');
    const multi = await fetch(`${server.url}/api/attributions`, { method: 'POST', body: form });
    expect(multi.status).toBe(201);
    expect(((await multi.json()) as AttributionResult).patch).toBe(8);
  });

  test('streams progress with the planned passes as server-sent events, ending in the result', async () => {
    const res = await post({ modelId, method: 'occlusion', shape: '1,1,16,16', patch: '4', stride: '4', batch: '8' }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter((b) => b.trim()).map((b) => [/^event: (.*)$/m.exec(b)?.[1], JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? 'null')] as [string, { passes?: unknown }]);
    expect(events.flatMap(([e, d]) => (e === 'progress' && d.passes ? [d.passes] : []))).toEqual([{ done: 0, total: 16 }, { done: 8, total: 16 }, { done: 16, total: 16 }]);
    expect(events.at(-1)?.[0]).toBe('result');
  });

  test('names what is wrong: an unknown method, too many passes', async () => {
    const bad = await post({ modelId, method: 'gradcam', shape: '1,1,16,16' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(((await bad.json()) as { error: ErrorBody }).error)).toMatch(/method/);
    const many = await post({ modelId, method: 'occlusion', shape: '1,1,16,16', patch: '1', stride: '1', maxPasses: '100' });
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: ErrorBody }).error.message).toMatch(/256 perturbed inputs, more than maxPasses \(100\)/);
  });
});
