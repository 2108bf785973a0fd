/**
 * The layer-graph explorer in a real Chromium, against the real server on
 * port 0: an analysis pushed through the SDK, the drop-a-model flow, and a
 * 1,000-layer model. Assumes the UI is built. The README's screenshot is
 * docs-screenshot.browser.test.ts's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../../../test/support/start-server';
import { bigModel } from './support/big-model';
import { syntheticInput } from './support/demo-data';
import { canvasPixels, clickNode, nodeBox } from './support/graph-driver';
import { measureLayoutInChromium } from './support/layout-bench';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');
const FIXTURES = join(ROOT, 'packages', 'worker', 'test', 'fixtures');
const residual = () => readFileSync(join(FIXTURES, 'residual-opset17.onnx'));
const residualInput = () => {
  const ref = JSON.parse(readFileSync(join(FIXTURES, 'residual-reference.json'), 'utf8')) as { input: { shape: number[]; data: number[] } };
  return { data: Float32Array.from(ref.input.data), shape: ref.input.shape };
};

describe('layer-graph explorer in Chromium', () => {
  const app = useAppPage();
  const graph = pane('fm-graph');

  test('an analysis from the SDK: click a layer, see its input and output maps, enlarge a channel', async () => {
    await app.ui.open();
    const result = await app.viz.featureMaps(residual(), residualInput(), { maxChannels: 16 });
    await app.ui.ready('fm-graph');
    expect(await app.page.getAttribute(graph, 'data-kind')).toBe('graph');
    expect(await app.page.textContent(`${graph} [data-testid="provider-badge"]`)).toBe(result.provider.toUpperCase());
    expect(Number(await app.page.getAttribute(`${graph} [data-testid="graph-view"]`, 'data-visible-nodes'))).toBe(16); // 14 layers, input, output

    await clickNode(app.page, graph, 'L:/block1/pw/Conv');
    const panel = `${graph} [data-testid="layer-panel"]`;
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"][data-ready="true"]`);
    await app.page.waitForSelector(`${panel} [data-testid="maps-output"][data-ready="true"]`);
    expect(await app.page.textContent(`${panel} .panel-id`)).toBe('/block1/pw/Conv');
    const input = await canvasPixels(app.page, `${panel} [data-testid="maps-input"] canvas`);
    const output = await canvasPixels(app.page, `${panel} [data-testid="maps-output"] canvas`);
    for (const grid of [input, output]) {
      expect(grid.width).toBeGreaterThan(50);
      expect(grid.colours).toBeGreaterThan(20); // real maps, not a flat fill
    }
    expect(await app.page.getAttribute(`${panel} [data-testid="maps-output"] canvas`, 'data-channels')).toBe(String(Math.min(16, result.layers.find((l) => l.node === '/block1/pw/Conv')?.shape[1] ?? 0)));

    // Enlarge the first output channel and read a value under the cursor.
    const grid = await app.page.locator(`${panel} [data-testid="maps-output"] canvas`).boundingBox();
    if (grid === null) throw new Error('no output grid');
    await app.page.mouse.click(grid.x + 3, grid.y + 3);
    const zoom = app.page.locator(`${panel} .zoom-canvas`);
    await zoom.waitFor();
    const z = await zoom.boundingBox();
    if (z === null) throw new Error('no zoomed channel');
    await app.page.mouse.move(z.x + z.width / 2, z.y + z.height / 2);
    const readout = `${panel} [data-testid="channel-value"]`;
    await app.page.waitForSelector(`${readout}[data-value]`);
    const value = Number(await app.page.getAttribute(readout, 'data-value'));
    const stats = result.layers.find((l) => l.node === '/block1/pw/Conv')?.stats;
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual((stats?.min ?? 0) - 1e-6);
    expect(value).toBeLessThanOrEqual((stats?.max ?? 0) + 1e-6);
    expect(await app.page.textContent(readout)).toMatch(/^\(\d+, \d+\) = -?[\d.e+-]+/);

    // Normalisation and colormap redraw the grids.
    await app.page.click(`${panel} [data-norm="layer"]`);
    expect((await canvasPixels(app.page, `${panel} [data-testid="maps-output"] canvas`)).hash).not.toBe(output.hash);
    await app.page.selectOption(`${panel} [data-testid="colormap"]`, 'gray');
    expect((await canvasPixels(app.page, `${panel} [data-testid="maps-output"] canvas`)).greyFraction).toBe(1);
    await app.page.selectOption(`${panel} [data-testid="colormap"]`, 'viridis');

    // Its filters (a 1×1 conv) and statistics.
    await app.page.waitForSelector(`${panel} [data-testid="filter-grid"]`);
    expect((await canvasPixels(app.page, `${panel} [data-testid="filter-grid"]`)).colours).toBeGreaterThan(3);
    expect(await app.page.textContent(`${panel} [data-testid="layer-stats"]`)).toContain('mean ± std');
    expect(await app.page.textContent(`${panel} [data-testid="layer-attributes"]`)).toContain('kernel_shape');
  });

  test('search jumps to a layer; groups fold and unfold; nodes colour by a statistic', async () => {
    await app.viz.featureMaps(residual(), residualInput(), { maxChannels: 8 });
    await app.ui.open();
    await app.ui.ready('fm-graph');
    const view = `${graph} [data-testid="graph-view"]`;

    const search = `${graph} [data-testid="graph-search"]`;
    const count = () => app.page.textContent(`${graph} [data-testid="graph-search-count"]`);
    await app.page.fill(search, 'concat');
    expect(await count()).toBe('1 found');
    await app.page.press(search, 'Enter');
    expect(await count()).toBe('1 / 1');
    await app.page.waitForSelector(`${view}[data-focused="L:/cat/Concat"]`);
    await app.page.fill(search, 'relu');
    expect(await count()).toBe('3 found');
    await app.page.press(search, 'Enter');
    await app.page.press(search, 'Enter');
    expect(await count()).toBe('2 / 3');

    // Fold block1 from its frame's title strip, then open it again from the folded box.
    const frame = await nodeBox(app.page, graph, 'G:block1');
    await app.page.mouse.click(frame.x + 12, frame.y + 8);
    await app.page.waitForSelector(`${view}[data-visible-nodes="12"]`);
    await clickNode(app.page, graph, 'G:block1');
    await app.page.waitForSelector(`${view}[data-visible-nodes="16"]`);
    // A search hit inside a folded group opens the group.
    await app.page.mouse.click(frame.x + 12, frame.y + 8);
    await app.page.waitForSelector(`${view}[data-visible-nodes="12"]`);
    await app.page.fill(search, 'block1/pw');
    await app.page.press(search, 'Enter');
    await app.page.waitForSelector(`${view}[data-visible-nodes="16"][data-focused="L:/block1/pw/Conv"]`);

    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'zeros');
    expect(await app.page.textContent(`${graph} .graph-legend`)).toContain('% zeros');
    await app.page.hover(`${graph} .pane-header`);
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click(`${graph} [data-action="download"]`)]);
    expect(readFileSync(await download.path()).subarray(1, 4).toString('latin1')).toBe('PNG');
    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'nan');
    expect(await app.page.textContent(`${graph} .graph-legend`)).toContain('NaN');
  });

  test('dropping an .onnx file and an image runs the analysis with no code', async () => {
    await app.ui.open();
    const model = [...residual()];
    await app.page.evaluate(async (bytes) => {
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
    await app.ui.ready('fm-graph');
    expect(await app.page.textContent(`${graph} [data-testid="provider-badge"]`)).toMatch(/^(CPU|CUDA)$/);
    await app.page.waitForSelector('.toast:not([hidden])');
    expect(await app.page.textContent('.toast')).toMatch(/residual\.onnx: 14 layers analysed on (CPU|CUDA)/);
    const { createHash } = await import('node:crypto');
    const id = createHash('sha256').update(new Uint8Array(model)).digest('hex');
    expect((await fetch(`${app.server.url}/api/models/${id}`, { method: 'HEAD' })).status).toBe(200);
    await eventually(async () => (await app.page.isHidden('[data-testid="job-status"]')) === true);
  });

  test('a 1,000-layer model lays out, pans and zooms without errors', async () => {
    await app.viz.modelGraph(bigModel(250), { win: 'big' });
    await app.ui.open();
    await app.page.waitForSelector(`${pane('big')}[data-ready="true"]`, { timeout: 60_000 });
    const view = `${pane('big')} [data-testid="graph-view"]`;
    const folded = Number(await app.page.getAttribute(view, 'data-visible-nodes'));
    expect(folded).toBeLessThanOrEqual(152); // a big model starts folded into its stages
    await app.page.click(`${pane('big')} [data-action="expand"]`);
    await app.page.waitForSelector(`${view}[data-visible-nodes="1004"]`, { timeout: 60_000 }); // 1,002 layers, input, output
    const layoutMs = Number(await app.page.getAttribute(view, 'data-layout-ms'));
    console.log(`layout of 1,004 nodes in the browser: ${layoutMs.toFixed(0)} ms`);

    // This big a graph draws no group frames: a layer's panel folds the groups it lies in.
    const search = `${pane('big')} [data-testid="graph-search"]`;
    await app.page.fill(search, 'stage3/block5/mul');
    await app.page.press(search, 'Enter');
    await app.page.waitForSelector(`${view}[data-focused="L:/stage3/block5/mul/Mul"]`);
    await clickNode(app.page, pane('big'), 'L:/stage3/block5/mul/Mul');
    const trail = `${pane('big')} [data-testid="panel-groups"]`;
    expect(await app.page.textContent(trail)).toBe('in stage3 › block5');
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'graph-1000-panel.png') }); // to look at the group trail by eye
    await app.page.click(`${trail} [data-group="stage3/block5"]`);
    await app.page.waitForSelector(`${view}[data-visible-nodes="1001"]`); // its 4 layers are one box now
    expect(await app.page.isHidden(`${pane('big')} [data-testid="layer-panel"]`)).toBe(true);
    await clickNode(app.page, pane('big'), 'G:stage3/block5');
    await app.page.waitForSelector(`${view}[data-visible-nodes="1004"]`);

    const transform = () => app.page.$eval(view, (el) => (el as unknown as { graphDebug: { transform(): { x: number; y: number; k: number } } }).graphDebug.transform());
    const canvas = await app.page.locator(`${pane('big')} [data-testid="graph-canvas"]`).boundingBox();
    if (canvas === null) throw new Error('no graph canvas');
    const before = await transform();
    await app.page.mouse.move(canvas.x + 300, canvas.y + 300);
    await app.page.mouse.down();
    await app.page.mouse.move(canvas.x + 200, canvas.y + 100, { steps: 10 });
    await app.page.mouse.up();
    const panned = await transform();
    expect(panned.x).toBeCloseTo(before.x - 100, 0);
    expect(panned.y).toBeCloseTo(before.y - 200, 0);
    // Most of the graph is off screen, so it is not drawn; the minimap shows where we are.
    expect(Number(await app.page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes'))).toBeLessThan(100);
    const minimap = await app.page.locator(`${pane('big')} [data-testid="graph-minimap"]`).boundingBox();
    if (minimap === null) throw new Error('no minimap on a 1,000-layer graph');
    await app.page.mouse.click(minimap.x + minimap.width / 2, minimap.y + minimap.height - 8);
    await eventually(async () => (await transform()).y < panned.y - 10_000); // jumped near the bottom
    await app.page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let i = 0; i < 5; i++) await app.page.mouse.wheel(0, 400);
    await eventually(async () => (await transform()).k < panned.k / 4);
    await eventually(async () => Number(await app.page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes')) > 100);
    const drawn = await app.page.getAttribute(`${pane('big')} .graph-stage`, 'data-drawn-nodes');
    console.log(`zoomed out: ${drawn} nodes drawn in ${await app.page.getAttribute(`${pane('big')} .graph-stage`, 'data-paint-ms')} ms per frame`);
  }, 120_000);

  test('?bench=layout reports the layout time of a generated 1,000-node graph, then shows it', async () => {
    const result = await measureLayoutInChromium(app.server.url, { nodes: 1000, runs: 3, browser: app.browser });
    console.log(`bench=layout (${result.engine}): ${result.nodes} nodes, ${result.edges} edges: median ${result.medianMs} ms, min ${result.minMs} ms, cold ${result.coldMs} ms`);
    expect(result.engine).toBe('layered');
    expect(result.nodes).toBe(1002);
    expect(result.runs).toHaveLength(3);
    const workers: string[] = [];
    app.page.on('worker', (w) => workers.push(w.url()));
    await app.page.goto(`${app.server.url}/?bench=layout&nodes=1000&runs=1`);
    await app.page.waitForSelector('.pane-body[data-ready="true"]', { timeout: 60_000 });
    expect(await app.page.getAttribute('[data-testid="graph-view"]', 'data-visible-nodes')).toBe('1002');
    // The layered layout ran in its Web Worker, off the page's thread.
    expect(workers.some((url) => /\/assets\/layered-worker-[\w-]+\.js$/.test(url))).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'graph-1000.png') }); // to look at the big layout by eye
  });
});

/** Kept apart so a failure above still leaves the last good screenshot alone. */
describe('graph screenshot', () => {
  const app = useAppPage();

  test('a polished graph pane with a layer open', async () => {
    // A structured picture (a ring over a gradient) reads better in a screenshot than noise.
    await app.viz.featureMaps(residual(), { data: syntheticInput(16), shape: [1, 3, 16, 16] }, { maxChannels: 16 });
    await app.ui.open();
    await app.page.waitForSelector(`${pane('fm-graph')}[data-ready="true"]`);
    await clickNode(app.page, pane('fm-graph'), 'L:/stem/Conv');
    await app.page.waitForSelector(`${pane('fm-graph')} [data-testid="maps-output"][data-ready="true"]`);
    const grid = await app.page.locator(`${pane('fm-graph')} [data-testid="maps-output"] canvas`).boundingBox();
    if (grid) await app.page.mouse.click(grid.x + 80, grid.y + 3); // channel 1
    const zoom = await app.page.locator(`${pane('fm-graph')} .zoom-canvas`).boundingBox();
    if (zoom) await app.page.mouse.move(zoom.x + zoom.width * 0.4, zoom.y + zoom.height * 0.55);
    await app.page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'graph-residual.png') }); // docs/graph-screenshot.png: docs-screenshot.browser.test.ts
  });
});
