/**
 * Kept runs end to end, through the SDK and the real server and worker: a
 * graph window keeps its `featureMaps` runs (oldest out past
 * `--max-runs-per-window`), each with its step, label, model (SHA-256 and
 * file name), input shape and thumbnail, readable whole at `GET /api/runs/:id`.
 */
import { readFileSync } from 'node:fs';
import type { GraphContent, RunDetail, Window } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { CONVNET_PATH, sha256 } from '../../../test/support/models';
import { decodePng } from './png';

let server: TestServer;
let viz: CnnVis;

beforeAll(async () => {
  server = await startServer({ maxRunsPerWindow: 3, provider: 'cpu' });
  viz = new CnnVis({ url: server.url, env: 'runs' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
});

/** A 28×28 input whose left half is `level` and right half its negative. */
const input = (level: number) => ({ data: Float32Array.from({ length: 28 * 28 }, (_, i) => (i % 28 < 14 ? level : -level)), shape: [1, 1, 28, 28] });

test('a window keeps its runs with step, label, model and thumbnail; the oldest go past --max-runs-per-window', async () => {
  const ids: string[] = [];
  for (let step = 0; step < 4; step++) {
    const r = await viz.featureMaps(CONVNET_PATH, input(step + 1), { win: 'train', step: step * 10, label: `epoch ${step}`, maxChannels: 4 });
    expect(r.win).toBe('train');
    ids.push(r.runId);
  }
  const win = await viz.getWindow('train');
  const content = win.content as GraphContent;
  expect(content.runs?.map((r) => r.runId)).toEqual(ids.slice(1));
  expect(content.run?.runId).toBe(ids[3]);
  const modelId = sha256(readFileSync(CONVNET_PATH));
  expect(content.runs?.map((r) => [r.step, r.label, r.modelId, r.modelName, r.inputShape])).toEqual([
    [10, 'epoch 1', modelId, 'convnet.onnx', [1, 1, 28, 28]],
    [20, 'epoch 2', modelId, 'convnet.onnx', [1, 1, 28, 28]],
    [30, 'epoch 3', modelId, 'convnet.onnx', [1, 1, 28, 28]],
  ]);

  // The oldest run went with its maps; the kept ones are served.
  const detail = async (id: string) => fetch(`${server.url}/api/runs/${id}`);
  expect((await detail(ids[0] ?? '')).status).toBe(404);
  const kept = (await (await detail(ids[1] ?? '')).json()) as RunDetail;
  expect(kept).toMatchObject({ env: 'runs', win: 'train', info: { runId: ids[1], step: 10, label: 'epoch 1' } });
  expect(kept.graph.modelId).toBe(modelId);
  expect(kept.run.layers.length).toBeGreaterThan(0);
  expect(kept.run.layers.some((l) => l.channels.length > 0)).toBe(true);
  const conv = kept.run.layers.find((l) => l.op === 'Conv');
  expect((await fetch(`${server.url}/api/runs/${ids[1]}/maps/${encodeURIComponent(conv?.tensor ?? '')}`)).status).toBe(200);

  // The thumbnail is the input, stretched to 8 bits: left half white, right half black.
  const thumbUrl = content.runs?.[0]?.thumbnail;
  expect(thumbUrl).toBe(`/api/runs/${ids[1]}/thumbnail`);
  const res = await fetch(server.url + (thumbUrl ?? ''));
  expect(res.headers.get('content-type')).toBe('image/png');
  const png = decodePng(new Uint8Array(await res.arrayBuffer()));
  expect([png.width, png.height, png.channels]).toEqual([28, 28, 1]);
  expect([png.pixels[0], png.pixels[27]]).toEqual([255, 0]);
});

test('runs without step or label list as null; a window written by something else forgets its runs', async () => {
  const r = await viz.featureMaps(readFileSync(CONVNET_PATH), input(1), { win: 'plain', maxChannels: 2 });
  const win: Window = await viz.getWindow('plain');
  const [info] = (win.content as GraphContent).runs ?? [];
  expect(info).toMatchObject({ runId: r.runId, step: null, label: null, modelName: null });
  await viz.text('replaced', { win: 'plain' });
  expect((await fetch(`${server.url}/api/runs/${r.runId}`)).status).toBe(404);
});

test('a bad step or label is refused, naming the field', async () => {
  await expect(viz.featureMaps(CONVNET_PATH, input(1), { step: Number.NaN })).rejects.toThrow(/step/);
  await expect(viz.featureMaps(CONVNET_PATH, input(1), { label: 'x'.repeat(201) })).rejects.toThrow(/label/);
});
