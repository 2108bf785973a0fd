/**
 * Kept runs in a real Chromium against the real server: five runs pushed as
 * a training loop would (the model's weights change every step), the slider
 * stepped by mouse and keyboard with the open layer panel following, and an
 * A/B compare drawing its A − B maps with a diverging colormap.
 * Assumes the UI is built.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { buildModel, floatTensor, node, valueInfo } from '../../../test/support/onnx-builder';
import { SOBEL_X, SOBEL_Y } from '../../../test/support/models';
import { canvasPixels, clickNode } from './support/graph-driver';
import { createUiDriver, pane, useChromium } from './support/ui-driver';

const ARTIFACTS = join(__dirname, '..', '..', '..', '.test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const H = 8;
const W = 8;
/** The model at training step `step`: Sobel filters that grow and turn as it trains. */
function modelAt(step: number): Uint8Array {
  const k = 1 + step;
  return buildModel({
    inputs: [valueInfo('image', 'float', [1, 1, H, W])],
    outputs: [valueInfo('edges', 'float', null)],
    initializers: [
      floatTensor('sobel.weight', [2, 1, 3, 3], [...SOBEL_X.map((v, i) => v * k + 0.4 * step * (SOBEL_Y[i] ?? 0)), ...SOBEL_Y.map((v, i) => (i % 2 === step % 2 ? v : -v) * k)]),
      floatTensor('sobel.bias', [2], [0.1 * step, -0.1 * step]),
    ],
    nodes: [
      node('Conv', ['image', 'sobel.weight', 'sobel.bias'], ['conv_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/sobel/conv/Conv'),
      node('Relu', ['conv_out'], ['edges'], {}, '/sobel/Relu'),
    ],
  });
}
const image = { data: Float32Array.from({ length: H * W }, (_, i) => (Math.floor(i / W) >= 3 && i % W >= 4 ? 1 : 0.2)), shape: [1, 1, H, W] };

describe('kept runs in Chromium', () => {
  const chromium = useChromium();
  let server: TestServer;
  let viz: CnnVis;
  let page: Page;
  let errors: string[];
  const runIds: string[] = [];

  beforeAll(async () => {
    server = await startServer({ provider: 'cpu' });
    viz = new CnnVis({ url: server.url, env: 'main' });
    for (let step = 0; step < 5; step++) {
      runIds.push((await viz.featureMaps(modelAt(step), image, { win: 'train', step: step * 100, label: `epoch ${step}` })).runId);
    }
  });
  afterAll(async () => {
    await viz?.disconnect();
    await server?.close();
  });
  beforeEach(async () => {
    page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const ui = createUiDriver(page, () => server.url);
    await ui.open();
    await ui.ready('train');
  });
  afterEach(async () => {
    await page?.close();
    expect(errors).toEqual([]);
  });

  const graph = pane('train');
  const view = `${graph} [data-testid="graph-view"]`;
  const slider = `${graph} [data-testid="run-slider"]`;
  const range = `${slider} input[type="range"]`;
  const panel = `${graph} [data-testid="layer-panel"]`;
  const output = `${panel} [data-testid="maps-output"]`;

  /** Wait for the view to show `runId` and its open layer's output maps to be drawn again. */
  async function shown(runId: string): Promise<{ stats: string; hash: number }> {
    await page.waitForSelector(`${view}[data-run-id="${runId}"]`);
    await page.waitForSelector(`${output}[data-ready="true"]`);
    return { stats: (await page.textContent(`${panel} [data-testid="panel-stats"]`)) ?? '', hash: (await canvasPixels(page, `${output} canvas`)).hash };
  }

  test('the slider steps through the five runs, by mouse and by keyboard; the open layer follows', async () => {
    expect(await page.isVisible(slider)).toBe(true);
    expect(await page.getAttribute(range, 'max')).toBe('4');
    expect(await page.textContent(`${slider} [data-testid="run-caption"]`)).toBe('5/5 · step 400 · epoch 4 · ' + (await captionModel()));
    await clickNode(page, graph, 'L:/sobel/conv/Conv');
    const seen = [await shown(runIds[4] ?? '')];

    // Drag to the first run: the panel stays on the conv layer and shows that run's maps and statistics.
    await page.$eval(range, (el) => {
      const input = el as HTMLInputElement;
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    seen.push(await shown(runIds[0] ?? ''));
    expect(await page.getAttribute(panel, 'data-node')).toBe('L:/sobel/conv/Conv');
    expect(await page.textContent(`${slider} [data-testid="run-caption"]`)).toMatch(/^1\/5 · step 0 · epoch 0/);

    // The keyboard steps one run at a time.
    await page.focus(range);
    for (let i = 1; i <= 4; i++) {
      await page.keyboard.press('ArrowRight');
      seen.push(await shown(runIds[i] ?? ''));
      expect(await page.getAttribute(panel, 'data-node')).toBe('L:/sobel/conv/Conv');
    }
    // Each step's weights differ, so each run's statistics and maps do.
    expect(new Set(seen.slice(1).map((s) => s.stats)).size).toBe(5);
    expect(new Set(seen.slice(1).map((s) => s.hash)).size).toBe(5);
    await page.keyboard.press('Home');
    await shown(runIds[0] ?? '');
  });

  test('an A/B compare colours the graph by change and draws A, B and A − B maps', async () => {
    await clickNode(page, graph, 'L:/sobel/conv/Conv');
    await page.focus(range);
    await page.keyboard.press('Home');
    await shown(runIds[0] ?? '');
    await page.click(`${slider} button:text-is("A")`);
    await page.focus(range);
    await page.keyboard.press('End');
    await shown(runIds[4] ?? '');
    await page.click(`${slider} button:text-is("B")`);
    await page.click(`${slider} [data-testid="run-compare"]`);
    await page.waitForSelector(`${view}[data-compare="${runIds[0]}/${runIds[4]}"]`);
    expect(await page.textContent(`${graph} .graph-legend`)).toMatch(/change A→B/);

    const section = `${panel} [data-testid="panel-compare"]`;
    await page.waitForSelector(`${section} [data-testid="diff-map"]`);
    expect(await page.textContent(section)).toMatch(/cosine -?[\d.]+ · ‖A−B‖\/‖A‖ [\d.]+ · mean \|A−B\| [\d.]+ · weights ‖ΔW‖\/‖W‖ [\d.]+/);
    const rows = await page.$$(`${section} .diff-row`);
    expect(rows.length).toBe(2); // both channels of the conv, most changed first
    // A − B through the diverging colormap: many colours, none of them grey.
    const diff = await canvasPixels(page, `${section} [data-testid="diff-map"]`);
    expect([diff.width, diff.height]).toEqual([W, H]);
    expect(diff.colours).toBeGreaterThan(3);
    expect(diff.greyFraction).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'runs-compare.png') }); // to look at by eye

    await page.click(`${slider} [data-testid="run-compare"]`);
    await page.waitForSelector(`${view}[data-compare=""]`);
    expect(await page.$(section)).toBeNull();
  });

  /** The caption's model part: the SDK sent the models as bytes, so their SHA-256's first digits. */
  async function captionModel(): Promise<string> {
    const res = await fetch(`${server.url}/api/runs/${runIds[4]}`);
    const { info } = (await res.json()) as { info: { modelId: string } };
    return info.modelId.slice(0, 8);
  }
});
