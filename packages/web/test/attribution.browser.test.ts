/**
 * Attribution and dataset statistics as the browser shows them (real server,
 * SDK and Chromium): occlusion of a full ResNet-18 on a drawn picture (input,
 * input with the heatmap over it, heatmap; and the values as a plotly
 * heatmap), and the table listing a dead ReLU channel. The README's
 * screenshot (docs/attribution-screenshot.png with UPDATE_SCREENSHOT=1;
 * always .test-artifacts/attribution.png). Assumes the UI is built.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawnPicture, resnet18Path } from './support/docs-model';
import { IMAGENET } from './support/maps-model';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');
const FIXTURES = join(ROOT, 'packages', 'worker', 'test', 'fixtures');

describe('attribution and dataset panes', () => {
  const app = useAppPage({ env: 'where' });

  test('the input with an occlusion map over it, its values, and a dead channel listed', async () => {
    const where = await app.viz.attribution(resnet18Path(), drawnPicture(), { method: 'occlusion', patch: 56, stride: 28, preprocess: IMAGENET, win: 'where' });
    expect(where.passes).toBe(49);
    const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as { inputs: { shape: number[]; data: number[][] } };
    await app.viz.featureMaps(join(FIXTURES, 'dead-clip.onnx'), ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape })), { win: 'data' });
    await app.ui.open('where');
    for (const win of ['where', 'where-heatmap', 'data']) await app.ui.ready(win);
    const captions = await app.page.$$eval(`${pane('where')} img`, (imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
    expect(captions).toEqual(['input', 'input and occlusion map', 'occlusion map']);
    const loaded = await app.page.$$eval(`${pane('where')} img`, (imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth === 224));
    expect(loaded).toBe(true);
    // The table is client HTML, in the text pane's sandboxed iframe.
    expect(await app.page.$eval(`${pane('data')} iframe`, (f) => (f as HTMLIFrameElement).srcdoc)).toContain('<td>/Relu</td><td>Relu</td><td>1 of 4 (channel 2)</td>');
    await app.page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'attribution.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(join(ARTIFACTS, 'attribution.png'), join(ROOT, 'docs', 'attribution-screenshot.png'));
  });
});
