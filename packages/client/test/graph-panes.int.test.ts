/**
 * One graph pane per model and env, titled by the model's file name and the
 * window: `modelGraph` and `featureMaps` of one model share a pane, another
 * model gets its own, and `filters` panes name their model. Real server, real
 * SDK, the torchvision-shaped fixtures saved under file names.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphContent, Window } from '@cnnvis/protocol';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const input = { data: new Float32Array(3 * 64 * 64).fill(0.5), shape: [1, 3, 64, 64] };

let server: TestServer;
let viz: CnnVis;
let scratch: string;
let resnet: string;
let mobilenet: string;

beforeAll(async () => {
  server = await startServer();
  viz = new CnnVis({ url: server.url, env: 'panes' });
  scratch = mkdtempSync(join(tmpdir(), 'cnnvis-panes-'));
  resnet = join(scratch, 'resnet18.onnx');
  mobilenet = join(scratch, 'mobilenetv2.onnx');
  copyFileSync(join(FIXTURES, 'resnet18-small.onnx'), resnet);
  copyFileSync(join(FIXTURES, 'mobilenetv2-small.onnx'), mobilenet);
});
afterAll(async () => {
  await viz.disconnect();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The env's graph windows as [id, title], in creation order. */
async function graphWindows(env: string): Promise<unknown[]> {
  const windows = (await (await fetch(`${server.url}/api/envs/${env}/windows`)).json()) as Window[];
  return windows.filter((w) => w.kind === 'graph').map((w) => [w.id, w.opts.title]);
}

test('modelGraph then featureMaps of one model: one pane, titled by file name and window, keeping its run', async () => {
  const env = 'one-model';
  expect((await viz.modelGraph(resnet, { env })).win).toBe('graph');
  const result = await viz.featureMaps(resnet, input, { env, maxChannels: 2, layers: ['Conv', 'Gemm'] });
  expect(result.win).toBe('graph');
  expect((await viz.modelGraph(resnet, { env })).win).toBe('graph');
  expect(((await viz.getWindow('graph', { env })).content as GraphContent).run?.runId).toBe(result.runId);
  // No "N layers" for a run of some layers: the title names the model and the window.
  expect(await graphWindows(env)).toEqual([['graph', 'resnet18.onnx · graph']]);
});

test('two models in one env get a pane each; modelGraph finds each one\'s', async () => {
  const env = 'two-models';
  expect((await viz.featureMaps(resnet, input, { env, maxChannels: 2 })).win).toBe('fm-graph');
  expect((await viz.featureMaps(mobilenet, input, { env, maxChannels: 2 })).win).toBe('fm-graph-mobilenetv2.onnx');
  expect((await viz.featureMaps(resnet, input, { env, maxChannels: 2 })).win).toBe('fm-graph');
  expect((await viz.modelGraph(mobilenet, { env })).win).toBe('fm-graph-mobilenetv2.onnx');
  expect((await viz.modelGraph(resnet, { env, modelName: 'named.onnx', win: 'arch' })).win).toBe('arch');
  expect(await graphWindows(env)).toEqual([
    ['fm-graph', 'resnet18.onnx · fm-graph'],
    ['fm-graph-mobilenetv2.onnx', 'mobilenetv2.onnx · fm-graph-mobilenetv2.onnx'],
    ['arch', 'named.onnx · arch'],
  ]);
});

test('filters panes name their model, and make no graph pane', async () => {
  const env = 'filters';
  const { layers } = await viz.filters(resnet, 'conv1', { env });
  expect(layers.map((l) => l.node)).toEqual(['/conv1/Conv']);
  expect((await viz.getWindow(layers[0]?.win ?? '', { env })).opts.title).toBe('resnet18.onnx · filters: /conv1/Conv');
  expect((await viz.getWindow(layers[0]?.histogramWin ?? '', { env })).opts.title).toBe('resnet18.onnx · weights: /conv1/Conv');
  expect(await graphWindows(env)).toEqual([]);
});
