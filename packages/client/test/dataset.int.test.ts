/**
 * Statistics over a dataset end to end, through the real server and worker:
 * `viz.featureMaps(model, inputs[])` on the dead-ReLU/Clip fixture of
 * packages/worker/fixtures-src/make-attribution-fixtures.py, its progress,
 * its panes, and a bad input named.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisProgress } from '@cnnvis/client';
import { CnnVis } from '@cnnvis/client';
import type { PlotContent, TextContent } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../test/support/start-server';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const MODEL = join(FIXTURES, 'dead-clip.onnx');
const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as {
  inputs: { shape: number[]; data: number[][] };
  relu: { tensor: string; dead: number[] };
  clip: { tensor: string; saturated: number[] };
};
const inputs = ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape }));

let server: TestServer;
let viz: CnnVis;
beforeAll(async () => {
  server = await startServer({ provider: 'cpu' });
  viz = new CnnVis({ url: server.url, env: 'dataset' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
});

test('viz.featureMaps over a list of inputs: the ReLU channel with bias −100 is dead on all of them, Clip saturation as numpy, panes listing it', async () => {
  const progress: AnalysisProgress[] = [];
  const r = await viz.featureMaps(MODEL, inputs, { batch: 5, topK: 3, win: 'data', onProgress: (p) => progress.push(p) });
  expect(r).toMatchObject({ env: 'dataset', win: 'data', deadWin: 'data-dead', inputs: 12, batch: 5, runs: 3, provider: 'cpu' });
  const relu = r.layers.find((l) => l.tensor === ref.relu.tensor);
  expect(relu?.dead).toEqual(ref.relu.dead);
  expect(relu?.deadChannels).toEqual([2]);
  // The inputs went to the worker through a spool file, gone once the call has its answer.
  expect(readdirSync(join(server.dataDir, 'models')).filter((f) => f.startsWith('.upload-'))).toEqual([]);
  const clip = r.layers.find((l) => l.tensor === ref.clip.tensor);
  expect(clip?.bounds).toEqual([0, 0.5]);
  ref.clip.saturated.forEach((s, c) => expect(clip?.saturated?.[c]).toBeCloseTo(s, 9));
  expect(clip?.top.every((t) => t.length === 3)).toBe(true);
  expect(progress.flatMap((p) => (p.passes ? [p.passes] : []))).toEqual([{ done: 0, total: 12 }, { done: 5, total: 12 }, { done: 10, total: 12 }, { done: 12, total: 12 }]);

  const tableWin = await viz.getWindow('data');
  // Titled by the model's file name, as the run panes are, not by the exporter ONNX names as producer.
  expect(tableWin.opts.title).toBe('dead-clip.onnx over 12 inputs');
  expect((await viz.getWindow(r.graphWin)).opts.title).toBe(`dead-clip.onnx · ${r.graphWin}`);
  const table = tableWin.content as TextContent;
  expect(table.text).toContain('12 inputs');
  expect(table.text).toMatch(/\/Relu<\/td><td>Relu<\/td><td>1 of 4 \(channel 2\)</);
  const dead = (await viz.getWindow('data-dead')).content as PlotContent;
  expect(dead.traces[0]?.x).toContain('/Relu');
});

test('inputs that do not fit are named', async () => {
  await expect(viz.featureMaps(MODEL, [...inputs.slice(0, 2), { data: [1, 2, 3, 4], shape: [1, 1, 2, 2] }])).rejects.toMatchObject({
    code: 'BAD_REQUEST',
    message: expect.stringMatching(/\[2\] has shape \[1, 1, 2, 2\]; every tensor needs input 0's shape \[1, 1, 8, 8\]/),
  });
  const small = Array.from({ length: 3 }, () => ({ data: new Float32Array(16), shape: [1, 1, 4, 4] }));
  await expect(viz.featureMaps(MODEL, small)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/input shape \[1, 1, 4, 4\] does not fit/) });
});
