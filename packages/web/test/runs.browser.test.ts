/**
 * Kept runs in a real Chromium against the real server: five runs pushed as
 * a training loop would (the model's weights change every step), the slider
 * stepped by mouse and keyboard with the open layer panel following, and an
 * A/B compare drawing its A − B maps with a diverging colormap.
 * Assumes the UI is built.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, floatTensor, node, valueInfo } from '../../../test/support/onnx-builder';
import { SOBEL_X, SOBEL_Y } from '../../../test/support/models';
import { canvasPixels, clickNode } from './support/graph-driver';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

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
  const app = useAppPage({ serverPer: 'file', server: { provider: 'cpu' } });
  const runIds: string[] = [];

  beforeAll(async () => {
    for (let step = 0; step < 5; step++) {
      runIds.push((await app.viz.featureMaps(modelAt(step), image, { win: 'train', step: step * 100, label: `epoch ${step}` })).runId);
    }
  });
  beforeEach(async () => {
    await app.ui.open();
    await app.ui.ready('train');
  });

  const graph = pane('train');
  const view = `${graph} [data-testid="graph-view"]`;
  const slider = `${graph} [data-testid="run-slider"]`;
  const range = `${slider} input[type="range"]`;
  const panel = `${graph} [data-testid="layer-panel"]`;
  const output = `${panel} [data-testid="maps-output"]`;

  /** Wait for the view to show `runId` and its open layer's output maps to be drawn again. */
  async function shown(runId: string): Promise<{ stats: string; hash: number }> {
    await app.page.waitForSelector(`${view}[data-run-id="${runId}"]`);
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    return { stats: (await app.page.textContent(`${panel} [data-testid="panel-stats"]`)) ?? '', hash: (await canvasPixels(app.page, `${output} canvas`)).hash };
  }

  test('the slider steps through the five runs, by mouse and by keyboard; the open layer follows', async () => {
    expect(await app.page.isVisible(slider)).toBe(true);
    expect(await app.page.getAttribute(range, 'max')).toBe('4');
    expect(await app.page.textContent(`${slider} [data-testid="run-caption"]`)).toBe('5/5 · step 400 · epoch 4 · ' + (await captionModel()));
    await clickNode(app.page, graph, 'L:/sobel/conv/Conv');
    const seen = [await shown(runIds[4] ?? '')];

    // Drag to the first run: the panel stays on the conv layer and shows that run's maps and statistics.
    await app.page.$eval(range, (el) => {
      const input = el as HTMLInputElement;
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    seen.push(await shown(runIds[0] ?? ''));
    expect(await app.page.getAttribute(panel, 'data-node')).toBe('L:/sobel/conv/Conv');
    expect(await app.page.textContent(`${slider} [data-testid="run-caption"]`)).toMatch(/^1\/5 · step 0 · epoch 0/);

    // The keyboard steps one run at a time.
    await app.page.focus(range);
    for (let i = 1; i <= 4; i++) {
      await app.page.keyboard.press('ArrowRight');
      seen.push(await shown(runIds[i] ?? ''));
      expect(await app.page.getAttribute(panel, 'data-node')).toBe('L:/sobel/conv/Conv');
    }
    // Each step's weights differ, so each run's statistics and maps do.
    expect(new Set(seen.slice(1).map((s) => s.stats)).size).toBe(5);
    expect(new Set(seen.slice(1).map((s) => s.hash)).size).toBe(5);
    await app.page.keyboard.press('Home');
    await shown(runIds[0] ?? '');
  });

  test('an A/B compare colours the graph by change and draws A, B and A − B maps', async () => {
    await clickNode(app.page, graph, 'L:/sobel/conv/Conv');
    await app.page.focus(range);
    await app.page.keyboard.press('Home');
    await shown(runIds[0] ?? '');
    await app.page.click(`${slider} button:text-is("A")`);
    await app.page.focus(range);
    await app.page.keyboard.press('End');
    await shown(runIds[4] ?? '');
    await app.page.click(`${slider} button:text-is("B")`);
    await app.page.click(`${slider} [data-testid="run-compare"]`);
    await app.page.waitForSelector(`${view}[data-compare="${runIds[0]}/${runIds[4]}"]`);
    expect(await app.page.textContent(`${graph} .graph-legend`)).toMatch(/change A→B/);

    const section = `${panel} [data-testid="panel-compare"]`;
    await app.page.waitForSelector(`${section} [data-testid="diff-map"]`);
    expect(await app.page.textContent(section)).toMatch(/cosine -?[\d.]+ · ‖A−B‖\/‖A‖ [\d.]+ · mean \|A−B\| [\d.]+ · weights ‖ΔW‖\/‖W‖ [\d.]+/);
    const rows = await app.page.$$(`${section} .diff-row`);
    expect(rows.length).toBe(2); // both channels of the conv, most changed first
    // A − B through the diverging colormap: many colours, none of them grey.
    const diff = await canvasPixels(app.page, `${section} [data-testid="diff-map"]`);
    expect([diff.width, diff.height]).toEqual([W, H]);
    expect(diff.colours).toBeGreaterThan(3);
    expect(diff.greyFraction).toBe(0);
    await app.page.screenshot({ path: join(ARTIFACTS, 'runs-compare.png') }); // to look at by eye

    await app.page.click(`${slider} [data-testid="run-compare"]`);
    await app.page.waitForSelector(`${view}[data-compare=""]`);
    expect(await app.page.$(section)).toBeNull();
  });

  /** The caption's model part: the SDK sent the models as bytes, so their SHA-256's first digits. */
  async function captionModel(): Promise<string> {
    const res = await fetch(`${app.server.url}/api/runs/${runIds[4]}`);
    const { info } = (await res.json()) as { info: { modelId: string } };
    return info.modelId.slice(0, 8);
  }
});
