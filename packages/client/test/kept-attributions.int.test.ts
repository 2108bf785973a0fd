/**
 * Attributions of a kept run, through the real server, SDK and worker: the
 * run's own input replayed (the heatmap equals one made from the model and
 * input), the heatmap kept with the run and read back after a restart, and
 * `POST /api/attributions?runId=` with no body; they go with the run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisProgress } from '@cnnvis/client';
import { CnnVis } from '@cnnvis/client';
import type { AttributionResult, ErrorBody, KeptAttribution } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../test/support/start-server';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const QUADRANT = join(FIXTURES, 'quadrant.onnx');
const camRef = JSON.parse(readFileSync(join(FIXTURES, 'linear-cam-reference.json'), 'utf8')) as { input: { data: number[]; shape: number[] }; target: number; weights: number[] };
/** A 16×16 input with no zeros, so any occluded pixel changes. */
const input = { data: Float32Array.from({ length: 256 }, (_, i) => 1 + ((i * 37) % 11) / 10), shape: [1, 1, 16, 16] };

let dataDir: string;
let server: TestServer;
let viz: CnnVis;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-kept-'));
  server = await startServer({ provider: 'cpu', dataDir });
  viz = new CnnVis({ url: server.url, env: 'kept' });
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const kept = async (runId: string): Promise<KeptAttribution[]> => {
  const res = await fetch(`${server.url}/api/runs/${runId}/attributions`);
  expect(res.status).toBe(200);
  return (await res.json()) as KeptAttribution[];
};

test('an attribution of a kept run replays its input, is kept with the run and read back after a restart', async () => {
  const run = await viz.featureMaps(QUADRANT, input, { win: 'g', labels: ['zero', 'one', 'two', 'three'] });
  const progress: AnalysisProgress[] = [];
  const r = await viz.attribution(run, { method: 'occlusion', patch: 4, stride: 4, onProgress: (p) => progress.push(p) });
  expect(r).toMatchObject({ runId: run.runId, env: 'kept', method: 'occlusion', passes: 16, patch: 4, stride: 4 });
  expect(r.targetLabel).toBe(['zero', 'one', 'two', 'three'][r.target]);
  expect(progress.flatMap((p) => (p.passes ? [p.passes] : [])).at(-1)).toEqual({ done: 16, total: 16 });
  // The run's input, replayed, is the input: the same heatmap as from the model and input given again.
  const direct = await viz.attribution(QUADRANT, input, { method: 'occlusion', patch: 4, stride: 4 });
  expect(direct.runId).toBeUndefined();
  expect(r.heatmap).toEqual(direct.heatmap);
  expect(r.heatmap.filter((v) => v !== 0)).toHaveLength(64);

  // Over HTTP: the run named in the query, no body.
  const res = await fetch(`${server.url}/api/attributions?runId=${run.runId}&method=occlusion&patch=8&stride=8&target=1`, { method: 'POST' });
  expect(res.status).toBe(201);
  expect((await res.json()) as AttributionResult).toMatchObject({ runId: run.runId, passes: 4, target: 1 });

  const before = await kept(run.runId);
  expect(before.map((a) => [a.id, a.method, a.passes, a.target])).toEqual([[1, 'occlusion', 16, r.target], [2, 'occlusion', 4, 1]]);
  expect(before[0]?.heatmap).toEqual(r.heatmap);

  await viz.disconnect();
  await server.close();
  server = await startServer({ provider: 'cpu', dataDir });
  viz = new CnnVis({ url: server.url, env: 'kept' });
  expect(await kept(run.runId)).toEqual(before);
  expect((await kept(run.runId))[0]).toMatchObject({ shape: [16, 16], score: r.score, targetLabel: r.targetLabel, createdAt: expect.any(Number) });

  // The heatmaps go with the run: once no window keeps it, there is nothing to explain or read.
  await viz.close('g');
  expect((await fetch(`${server.url}/api/runs/${run.runId}/attributions`)).status).toBe(404);
  await expect(viz.attribution(run, { method: 'occlusion' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

test("Score-CAM of a kept run, its layer named by the node's id: numpy's weights", async () => {
  const run = await viz.featureMaps(join(FIXTURES, 'linear-cam.onnx'), { data: camRef.input.data, shape: camRef.input.shape }, { win: 'cam' });
  const r = await viz.attribution(run, { method: 'score-cam', layer: '/conv/Conv' });
  expect(r).toMatchObject({ runId: run.runId, target: camRef.target, layer: '/conv/Conv_output_0', passes: 4 });
  camRef.weights.forEach((w, k) => expect(Math.abs((r.weights?.[k] ?? NaN) - w)).toBeLessThan(1e-4));
  expect((await kept(run.runId)).map((a) => [a.method, a.layer])).toEqual([['score-cam', '/conv/Conv_output_0']]);
});

test('an attribution names a kept run that exists, and not a model and input beside it', async () => {
  await expect(viz.attribution({ runId: 'run_nope' }, { method: 'occlusion' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("run 'run_nope' not found") });
  const res = await fetch(`${server.url}/api/attributions?runId=run_x&modelId=${'a'.repeat(64)}&method=occlusion`, { method: 'POST' });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: ErrorBody };
  expect(JSON.stringify(body.error)).toContain('must be left out with runId');
  expect((await fetch(`${server.url}/api/runs/run_nope/attributions`)).status).toBe(404);
});
