/**
 * Dataset statistics in the graph explorer (real server, SDK, ONNX Runtime
 * and Chromium): a dataset run through the SDK on the dead-ReLU/Clip fixture,
 * the graph coloured by dead fraction, the ReLU layer's dead channel listed
 * with its numbers, a channel's top-k inputs as thumbnails, and the Clip
 * layer's saturated channels; a channel picked by a row, a number or a click in the output maps. Screenshot: .test-artifacts/dataset.png
 * (docs/dataset-screenshot.png with UPDATE_SCREENSHOT=1). Assumes the UI is built.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clickNode, nodeBox } from './support/graph-driver';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');
const FIXTURES = join(ROOT, 'packages', 'worker', 'test', 'fixtures');
const MODEL = join(FIXTURES, 'dead-clip.onnx');

describe('dataset statistics in the explorer', () => {
  const app = useAppPage({ env: 'data' });

  test('colour by dead fraction, the dead channel listed, top-k thumbnails, saturated channels', async () => {
    const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as { inputs: { shape: number[]; data: number[][] } };
    const inputs = ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape }));
    const run = await app.viz.featureMaps(MODEL, inputs[3] as (typeof inputs)[number], {});
    const stats = await app.viz.featureMaps(MODEL, inputs, { topK: 3, win: 'table' });
    expect(stats.graphWin).toBe(run.win);
    await app.viz.close('table');
    await app.viz.close('table-dead');
    await app.ui.open('data');
    await app.ui.ready(run.win);
    const graph = pane(run.win);
    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'dead');
    const legend = await app.page.textContent(`${graph} .graph-legend`);
    expect(legend).toContain('dead (dataset)');
    expect(legend).toContain('100%');
    // The ReLU's mean dead fraction over its 4 channels: channel 2 on every input, the rest on none.
    const relu = await nodeBox(app.page, graph, 'L:/Relu');
    await app.page.mouse.move(relu.x + relu.width / 2, relu.y + relu.height / 2);
    expect(await app.page.textContent(`${graph} .graph-tooltip`)).toContain('dead (dataset): 25.0%');

    await clickNode(app.page, graph, 'L:/Relu');
    const section = `${graph} [data-testid="panel-dataset"]`;
    await app.page.waitForSelector(section);
    expect(await app.page.textContent(section)).toContain('12 inputs · 1 of 4 channels dead on every input');
    const rows = await app.page.$$eval(`${section} [data-testid="dataset-dead"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([['2', '100%', '100%', '—', '0', '0', '0', '0', '0 / 0']]);
    // The channel its top input excites most is shown first; a row picks another.
    const thumbs = async () =>
      app.page.$$eval(`${section} [data-testid="dataset-top"] img`, (imgs) => imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth));
    expect(await thumbs()).toEqual([8, 8, 8]);
    await app.page.click(`${section} [data-testid="dataset-dead"] tr[data-channel="2"]`);
    await app.page.waitForSelector(`${section} [data-testid="dataset-top"][data-channel="2"]`);
    expect(await app.page.textContent(`${section} [data-testid="dataset-top"]`)).toMatch(/#\d+ · 0/);
    await app.page.fill(`${section} .ds-channel`, '1');
    await app.page.press(`${section} .ds-channel`, 'Enter');
    await app.page.waitForSelector(`${section} [data-testid="dataset-top"][data-channel="1"]`);
    expect(await thumbs()).toEqual([8, 8, 8]);
    await app.page.locator(`${section} [data-testid="dataset-top"]`).scrollIntoViewIfNeeded();
    await app.page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'dataset.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(join(ARTIFACTS, 'dataset.png'), join(ROOT, 'docs', 'dataset-screenshot.png'));
    // A channel clicked in the output maps picks it too (the grid's first tile: channel 0).
    await app.page.locator(`${graph} [data-testid="maps-output"] canvas`).click({ position: { x: 3, y: 3 } });
    await app.page.waitForSelector(`${section} [data-testid="dataset-top"][data-channel="0"]`);

    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'saturated');
    expect(await app.page.textContent(`${graph} .graph-legend`)).toContain('no clamp bounds');
    await clickNode(app.page, graph, 'L:/Clip');
    await app.page.waitForSelector(`${graph} [data-testid="layer-panel"][data-node="L:/Clip"] [data-testid="dataset-saturated"]`);
    const sat = await app.page.$$eval(`${section} [data-testid="dataset-saturated"] tbody tr`, (trs) => trs.map((tr) => tr.getAttribute('data-channel')));
    expect(sat[0]).toBe('2'); // dead after the ReLU: every value at the Clip's lower bound
  });

  test('a graph with only dataset statistics opens coloured by dead fraction', async () => {
    const ref = JSON.parse(readFileSync(join(FIXTURES, 'dead-clip-reference.json'), 'utf8')) as { inputs: { shape: number[]; data: number[][] } };
    const inputs = ref.inputs.data.map((data) => ({ data, shape: ref.inputs.shape }));
    const stats = await app.viz.featureMaps(MODEL, inputs, { env: 'data-only', win: 'table' });
    await app.ui.open('data-only');
    await app.ui.ready(stats.graphWin);
    const graph = pane(stats.graphWin);
    await app.page.waitForFunction((sel) => document.querySelector(`${sel} .graph-legend`)?.textContent?.includes('dead (dataset)'), graph);
    expect(await app.page.inputValue(`${graph} [data-testid="graph-color"]`)).toBe('dead');
    // The user's choice is kept when the pane is drawn again.
    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'none');
    await app.viz.featureMaps(MODEL, inputs.slice(0, 4), { env: 'data-only', win: 'table' });
    await app.page.waitForTimeout(500);
    expect(await app.page.inputValue(`${graph} [data-testid="graph-color"]`)).toBe('none');
  });
});
