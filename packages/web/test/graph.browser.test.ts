/**
 * The layer-graph explorer in a real Chromium, against the real server on
 * port 0: an analysis pushed through the SDK, the drop-a-model flow, and a
 * 1,000-layer model. Assumes the UI is built. The README's screenshot is
 * docs-screenshot.browser.test.ts's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { bigModel } from './support/big-model';
import { syntheticInput } from './support/demo-data';
import { canvasPixels, clickNode, nodeBox } from './support/graph-driver';
import { measureLayoutInChromium } from './support/layout-bench';
import { createUiDriver, launchChromium, pane, useChromium } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');
const FIXTURES = join(ROOT, 'packages', 'worker', 'test', 'fixtures');
const residual = () => readFileSync(join(FIXTURES, 'residual-opset17.onnx'));
const residualInput = () => {
  const ref = JSON.parse(readFileSync(join(FIXTURES, 'residual-reference.json'), 'utf8')) as { input: { shape: number[]; data: number[] } };
  return { data: Float32Array.from(ref.input.data), shape: ref.input.shape };
};

describe('layer-graph explorer in Chromium', () => {
  const chromium = useChromium();
  let server: TestServer;
  let viz: CnnVis;
  let page: Page;
  let errors: string[];

  beforeEach(async () => {
    server = await startServer();
    viz = new CnnVis({ url: server.url, env: 'main' });
    page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
  });
  afterEach(async () => {
    await page?.close();
    await viz?.disconnect();
    await server?.close();
    expect(errors).toEqual([]);
  });

  const ui = () => createUiDriver(page, () => server.url);
  const graph = pane('fm-graph');

  test('an analysis from the SDK: click a layer, see its input and output maps, enlarge a channel', async () => {
    await ui().open();
    const result = await viz.featureMaps(residual(), residualInput(), { maxChannels: 16 });
    await ui().ready('fm-graph');
    expect(await page.getAttribute(graph, 'data-kind')).toBe('graph');
    expect(await page.textContent(`${graph} [data-testid="provider-badge"]`)).toBe(result.provider.toUpperCase());
    expect(Number(await page.getAttribute(`${graph} [data-testid="graph-view"]`, 'data-visible-nodes'))).toBe(16); // 14 layers, input, output

    await clickNode(page, graph, 'L:/block1/pw/Conv');
    const panel = `${graph} [data-testid="layer-panel"]`;
    await page.waitForSelector(`${panel} [data-testid="maps-input"][data-ready="true"]`);
    await page.waitForSelector(`${panel} [data-testid="maps-output"][data-ready="true"]`);
    expect(await page.textContent(`${panel} .panel-id`)).toBe('/block1/pw/Conv');
    const input = await canvasPixels(page, `${panel} [data-testid="maps-input"] canvas`);
    const output = await canvasPixels(page, `${panel} [data-testid="maps-output"] canvas`);
    for (const grid of [input, output]) {
      expect(grid.width).toBeGreaterThan(50);
      expect(grid.colours).toBeGreaterThan(20); // real maps, not a flat fill
    }
    expect(await page.getAttribute(`${panel} [data-testid="maps-output"] canvas`, 'data-channels')).toBe(String(Math.min(16, result.layers.find((l) => l.node === '/block1/pw/Conv')?.shape[1] ?? 0)));

    // Enlarge the first output channel and read a value under the cursor.
    const grid = await page.locator(`${panel} [data-testid="maps-output"] canvas`).boundingBox();
    if (grid === null) throw new Error('no output grid');
    await page.mouse.click(grid.x + 3, grid.y + 3);
    const zoom = page.locator(`${panel} .zoom-canvas`);
    await zoom.waitFor();
    const z = await zoom.boundingBox();
    if (z === null) throw new Error('no zoomed channel');
    await page.mouse.move(z.x + z.width / 2, z.y + z.height / 2);
    const readout = `${panel} [data-testid="channel-value"]`;
    await page.waitForSelector(`${readout}[data-value]`);
    const value = Number(await page.getAttribute(readout, 'data-value'));
    const stats = result.layers.find((l) => l.node === '/block1/pw/Conv')?.stats;
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual((stats?.min ?? 0) - 1e-6);
    expect(value).toBeLessThanOrEqual((stats?.max ?? 0) + 1e-6);
    expect(await page.textContent(readout)).toMatch(/^\(\d+, \d+\) = -?[\d.e+-]+/);

    // Normalisation and colormap redraw the grids.
    await page.click(`${panel} [data-norm="layer"]`);
    expect((await canvasPixels(page, `${panel} [data-testid="maps-output"] canvas`)).hash).not.toBe(output.hash);
    await page.selectOption(`${panel} [data-testid="colormap"]`, 'gray');
    expect((await canvasPixels(page, `${panel} [data-testid="maps-output"] canvas`)).greyFraction).toBe(1);
    await page.selectOption(`${panel} [data-testid="colormap"]`, 'viridis');

    // Its filters (a 1×1 conv) and statistics.
    await page.waitForSelector(`${panel} [data-testid="filter-grid"]`);
    expect((await canvasPixels(page, `${panel} [data-testid="filter-grid"]`)).colours).toBeGreaterThan(3);
    expect(await page.textContent(`${panel} [data-testid="layer-stats"]`)).toContain('mean ± std');
    expect(await page.textContent(`${panel} [data-testid="layer-attributes"]`)).toContain('kernel_shape');
  });

  test('search jumps to a layer; groups fold and unfold; nodes colour by a statistic', async () => {
    await viz.featureMaps(residual(), residualInput(), { maxChannels: 8 });
    await ui().open();
    await ui().ready('fm-graph');
    const view = `${graph} [data-testid="graph-view"]`;

    const search = `${graph} [data-testid="graph-search"]`;
    const count = () => page.textContent(`${graph} [data-testid="graph-search-count"]`);
    await page.fill(search, 'concat');
    expect(await count()).toBe('1 found');
    await page.press(search, 'Enter');
    expect(await count()).toBe('1 / 1');
    await page.waitForSelector(`${view}[data-focused="L:/cat/Concat"]`);
    await page.fill(search, 'relu');
    expect(await count()).toBe('3 found');
    await page.press(search, 'Enter');
    await page.press(search, 'Enter');
    expect(await count()).toBe('2 / 3');

    // Fold block1 from its frame's title strip, then open it again from the folded box.
    const frame = await nodeBox(page, graph, 'G:block1');
    await page.mouse.click(frame.x + 12, frame.y + 8);
    await page.waitForSelector(`${view}[data-visible-nodes="12"]`);
    await clickNode(page, graph, 'G:block1');
    await page.waitForSelector(`${view}[data-visible-nodes="16"]`);
    // A search hit inside a folded group opens the group.
    await page.mouse.click(frame.x + 12, frame.y + 8);
    await page.waitForSelector(`${view}[data-visible-nodes="12"]`);
    await page.fill(search, 'block1/pw');
    await page.press(search, 'Enter');
    await page.waitForSelector(`${view}[data-visible-nodes="16"][data-focused="L:/block1/pw/Conv"]`);

    await page.selectOption(`${graph} [data-testid="graph-color"]`, 'zeros');
    expect(await page.textContent(`${graph} .graph-legend`)).toContain('% zeros');
    await page.hover(`${graph} .pane-header`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${graph} [data-action="download"]`)]);
    expect(readFileSync(await download.path()).subarray(1, 4).toString('latin1')).toBe('PNG');
    await page.selectOption(`${graph} [data-testid="graph-color"]`, 'nan');
    expect(await page.textContent(`${graph} .graph-legend`)).toContain('NaN');
  });

  test('dropping an .onnx file and an image runs the analysis with no code', async () => {
    await ui().open();
    const model = [...residual()];
    await page.evaluate(async (bytes) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 32;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const g = ctx.createRadialGradient(16, 16, 2, 16, 16, 16);
      g.addColorStop(0, '#ffcc00');
      g.addColorStop(1, '#1e3a8a');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, 32, 32);
      const png = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'residual.onnx'));
      dt.items.add(new File([png], 'ring.png', { type: 'image/png' }));
      document.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, model);
    await ui().ready('fm-graph');
    expect(await page.textContent(`${graph} [data-testid="provider-badge"]`)).toMatch(/^(CPU|CUDA)$/);
    await page.waitForSelector('.toast:not([hidden])');
    expect(await page.textContent('.toast')).toMatch(/residual\.onnx: 14 layers analysed on (CPU|CUDA)/);
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(new Uint8Array(model)).digest('hex');
    expect((await fetch(`${server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(200);
    await eventually(async () => (await page.isHidden('[data-testid="job-status"]')) === true);
  });

  test('a 1,000-layer model lays out, pans and zooms without errors', async () => {
    await viz.modelGraph(bigModel(250), { win: 'big' });
    await ui().open();
    await page.waitForSelector(`${pane('big')}[data-ready="true"]`, { timeout: 60_000 });
    const view = `${pane('big')} [data-testid="graph-view"]`;
    const folded = Number(await page.getAttribute(view, 'data-visible-nodes'));
    expect(folded).toBeLessThanOrEqual(152); // a big model starts folded into its stages
    await page.click(`${pane('big')} [data-action="expand"]`);
    await page.waitForSelector(`${view}[data-visible-nodes="1004"]`, { timeout: 60_000 }); // 1,002 layers, input, output
    const layoutMs = Number(await page.getAttribute(view, 'data-layout-ms'));
    console.log(`layout of 1,004 nodes in the browser: ${layoutMs.toFixed(0)} ms`);

    // This big a graph draws no group frames: a layer's panel folds the groups it lies in.
    const search = `${pane('big')} [data-testid="graph-search"]`;
    await page.fill(search, 'stage3/block5/mul');
    await page.press(search, 'Enter');
    await page.waitForSelector(`${view}[data-focused="L:/stage3/block5/mul/Mul"]`);
    await clickNode(page, pane('big'), 'L:/stage3/block5/mul/Mul');
    const trail = `${pane('big')} [data-testid="panel-groups"]`;
    expect(await page.textContent(trail)).toBe('in stage3 › block5');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graph-1000-panel.png') }); // to look at the group trail by eye
    await page.click(`${trail} [data-group="stage3/block5"]`);
    await page.waitForSelector(`${view}[data-visible-nodes="1001"]`); // its 4 layers are one box now
    expect(await page.isHidden(`${pane('big')} [data-testid="layer-panel"]`)).toBe(true);
    await clickNode(page, pane('big'), 'G:stage3/block5');
    await page.waitForSelector(`${view}[data-visible-nodes="1004"]`);

    const transform = () => page.$eval(view, (el) => (el as unknown as { graphDebug: { transform(): { x: number; y: number; k: number } } }).graphDebug.transform());
    const canvas = await page.locator(`${pane('big')} [data-testid="graph-canvas"]`).boundingBox();
    if (canvas === null) throw new Error('no graph canvas');
    const before = await transform();
    await page.mouse.move(canvas.x + 300, canvas.y + 300);
    await page.mouse.down();
    await page.mouse.move(canvas.x + 200, canvas.y + 100, { steps: 10 });
    await page.mouse.up();
    const panned = await transform();
    expect(panned.x).toBeCloseTo(before.x - 100, 0);
    expect(panned.y).toBeCloseTo(before.y - 200, 0);
    // Most of the graph is off screen, so it is not drawn; the minimap shows where we are.
    expect(Number(await page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes'))).toBeLessThan(100);
    const minimap = await page.locator(`${pane('big')} [data-testid="graph-minimap"]`).boundingBox();
    if (minimap === null) throw new Error('no minimap on a 1,000-layer graph');
    await page.mouse.click(minimap.x + minimap.width / 2, minimap.y + minimap.height - 8);
    await eventually(async () => (await transform()).y < panned.y - 10_000); // jumped near the bottom
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 400);
    await eventually(async () => (await transform()).k < panned.k / 4);
    await eventually(async () => Number(await page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes')) > 100);
    const drawn = await page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes');
    console.log(`zoomed out: ${drawn} nodes drawn in ${await page.getAttribute(`${pane('big')} .graph-stage`, 'data-paint-ms')} ms per frame`);
  }, 120_000);

  test('?bench=layout reports the layout time of a generated 1,000-node graph, then shows it', async () => {
    const result = await measureLayoutInChromium(server.url, { nodes: 1000, runs: 3, browser: chromium.browser });
    console.log(`bench=layout (${result.engine}): ${result.nodes} nodes, ${result.edges} edges: median ${result.medianMs} ms, min ${result.minMs} ms, cold ${result.coldMs} ms`);
    expect(result.engine).toBe('layered');
    expect(result.nodes).toBe(1002);
    expect(result.runs).toHaveLength(3);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${server.url}/?bench=layout&nodes=1000&runs=1`);
    await page.waitForSelector('.pane-body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid="graph-view"]', 'data-visible-nodes')).toBe('1002');
    // The layered layout ran in its Web Worker, off the page's thread.
    expect(workers.some((url) => /\/assets\/layered-worker-[\w-]+\.js$/.test(url))).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graph-1000.png') }); // to look at the big layout by eye
  });
});

/** Kept apart so a failure above still leaves the last good screenshot alone. */
describe('graph screenshot', () => {
  test('a polished graph pane with a layer open', async () => {
    const browser = await launchChromium();
    const server = await startServer();
    const viz = new CnnVis({ url: server.url, env: 'main' });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
      // A structured picture (a ring over a gradient) reads better in a screenshot than noise.
      await viz.featureMaps(residual(), { data: syntheticInput(16), shape: [1, 3, 16, 16] }, { maxChannels: 16 });
      await createUiDriver(page, () => server.url).open();
      await page.waitForSelector(`${pane('fm-graph')}[data-ready="true"]`);
      await clickNode(page, pane('fm-graph'), 'L:/stem/Conv');
      await page.waitForSelector(`${pane('fm-graph')} [data-testid="maps-output"][data-ready="true"]`);
      const grid = await page.locator(`${pane('fm-graph')} [data-testid="maps-output"] canvas`).boundingBox();
      if (grid) await page.mouse.click(grid.x + 80, grid.y + 3); // channel 1
      const zoom = await page.locator(`${pane('fm-graph')} .zoom-canvas`).boundingBox();
      if (zoom) await page.mouse.move(zoom.x + zoom.width * 0.4, zoom.y + zoom.height * 0.55);
      await page.waitForTimeout(300);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graph-residual.png') }); // docs/graph-screenshot.png: docs-screenshot.browser.test.ts
    } finally {
      await viz.disconnect();
      await server.close();
      await browser.close();
    }
  });
});
