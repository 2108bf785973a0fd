/**
 * Dataset statistics kept by the model's graph window, through the real
 * server, SDK and worker, on the dead-ReLU/Clip fixture: the window keeps its
 * runs and gains the statistics with top-k thumbnails, a later run of the
 * model keeps them, a restart keeps them; and a folder of images as inputs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import type { GraphContent } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { decodePng, encodePng } from './png';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const MODEL = join(FIXTURES, 'dead-clip.onnx');
const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as {
  inputs: { shape: number[]; data: number[][] };
  relu: { tensor: string; dead: number[] };
};
const inputs = ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape }));
const [one, two] = inputs as [(typeof inputs)[number], (typeof inputs)[number]];

const scratch = mkdtempSync(join(tmpdir(), 'cnnvis-dataset-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function graphOf(viz: CnnVis, win: string): Promise<GraphContent> {
  const w = await viz.getWindow(win);
  if (w.content.kind !== 'graph') throw new Error(`${win} is a ${w.content.kind} window`);
  return w.content;
}

test('the graph window keeps the statistics and top-k thumbnails beside its runs, across a later run and a restart', async () => {
  const dataDir = join(scratch, 'data');
  let server: TestServer = await startServer({ provider: 'cpu', dataDir });
  let viz = new CnnVis({ url: server.url, env: 'keep' });
  try {
    const first = await viz.featureMaps(MODEL, one, {});
    const stats = await viz.featureMaps(MODEL, inputs, { topK: 3 });
    expect(stats.graphWin).toBe(first.win);
    let g = await graphOf(viz, first.win);
    expect(g.run?.runId).toBe(first.runId);
    expect(g.runs?.map((r) => r.runId)).toEqual([first.runId]);
    expect(g.run?.layers.find((l) => l.tensor === ref.relu.tensor)?.channels).toHaveLength(4);
    const relu = g.dataset?.layers.find((l) => l.tensor === ref.relu.tensor);
    expect(relu?.dead).toEqual(ref.relu.dead);
    expect(relu?.deadChannels).toEqual([2]);
    expect(g.dataset).toMatchObject({ modelId: first.modelId, inputs: 12, topK: 3 });
    // Each channel's top inputs, highest mean first, each with a thumbnail of its 8×8 input.
    for (const [c, top] of (relu?.top ?? []).entries()) {
      expect(top).toHaveLength(3);
      expect([...(relu?.topMean[c] ?? [])].sort((a, b) => b - a)).toEqual(relu?.topMean[c]);
      for (const i of top) {
        const url = g.dataset?.thumbnails[String(i)] ?? '';
        expect(url).toMatch(/^data:image\/png;base64,/);
        expect(decodePng(Buffer.from(url.split(',')[1] ?? '', 'base64'))).toMatchObject({ width: 8, height: 8, channels: 1 });
      }
    }
    // The run's maps are still served.
    expect((await fetch(`${server.url}/api/runs/${first.runId}/maps/${encodeURIComponent(ref.relu.tensor)}`)).status).toBe(200);

    const second = await viz.featureMaps(MODEL, two, {});
    expect(second.win).toBe(first.win);
    g = await graphOf(viz, first.win);
    expect(g.runs).toHaveLength(2);
    expect(g.dataset?.layers.find((l) => l.tensor === ref.relu.tensor)?.deadChannels).toEqual([2]);

    await viz.disconnect();
    await server.close();
    server = await startServer({ provider: 'cpu', dataDir });
    viz = new CnnVis({ url: server.url, env: 'keep' });
    g = await graphOf(viz, first.win);
    expect(g.run?.runId).toBe(second.runId);
    expect(g.dataset?.inputs).toBe(12);
    expect(Object.keys(g.dataset?.thumbnails ?? {}).length).toBeGreaterThan(0);
  } finally {
    await viz.disconnect();
    await server.close();
  }
});

test('a folder of images: its PNG and JPEG files in name order; a folder without any is named', async () => {
  const server = await startServer({ provider: 'cpu' });
  const viz = new CnnVis({ url: server.url, env: 'folder' });
  try {
    const folder = join(scratch, 'imgs');
    mkdirSync(join(folder, 'sub.png'), { recursive: true });
    ref.inputs.data.forEach((d, i) => writeFileSync(join(folder, `img${i}.png`), encodePng(Uint8Array.from(d, (v) => Math.round(v * 255)), 8, 8, 1)));
    writeFileSync(join(folder, 'notes.txt'), 'not an image');
    const stats = await viz.featureMaps(MODEL, { folder }, { topK: 2, graphWin: 'arch' });
    expect(stats).toMatchObject({ inputs: 12, graphWin: 'arch' });
    expect(stats.layers.find((l) => l.tensor === ref.relu.tensor)?.deadChannels).toEqual([2]);
    const g = await graphOf(viz, 'arch');
    expect(g.run).toBeNull();
    expect(g.dataset?.inputs).toBe(12);

    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    await expect(viz.featureMaps(MODEL, { folder: empty })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/holds no \.png, \.jpg or \.jpeg file/) });
    await expect(viz.featureMaps(MODEL, { folder: join(scratch, 'missing') })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/inputs\.folder.*cannot be read/) });
  } finally {
    await viz.disconnect();
    await server.close();
  }
});
