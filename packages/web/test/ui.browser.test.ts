/**
 * The web UI in a real (Debian) Chromium, against the real server on port 0,
 * fed by the real SDK. Assumes the UI is built (`npm test` builds first).
 * Set UPDATE_SCREENSHOT=1 to copy the screenshot to docs/screenshot.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import { eventually, startServer, type TestServer } from '../../../test/support/start-server';
import { createUiDriver, pane, useChromium } from './support/ui-driver';
import { syntheticInput } from './support/demo-data';
import { pushDemoRun } from './support/demo-run';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');

describe('web UI in Chromium', () => {
  const chromium = useChromium();
  let server: TestServer;
  let viz: CnnVis;
  let page: Page;

  beforeEach(async () => {
    server = await startServer();
    viz = new CnnVis({ url: server.url, env: 'main' });
    page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    page.on('pageerror', (err) => console.error('page error:', err));
  });
  afterEach(async () => {
    await page?.close();
    await viz?.disconnect();
    await server?.close();
  });

  const ui = () => createUiDriver(page, () => server.url);
  const open = (env?: string) => ui().open(env);
  const ready = (win: string) => ui().ready(win);
  const pointCounts = (win: string) => ui().pointCounts(win);
  const getWindow = (win: string, env?: string) => ui().getWindow(win, env);

  test('shows plots, images, heatmaps and text pushed live, and saves a screenshot', async () => {
    await open();
    expect(await page.isVisible('[data-testid="empty"]')).toBe(true);
    expect(await page.textContent('[data-testid="connection"]')).toBe('live');

    const wins = await pushDemoRun(viz);
    for (const win of wins) await ready(win);
    expect(await page.isVisible('[data-testid="empty"]')).toBe(false);
    expect(await page.getAttribute(pane('loss'), 'data-kind')).toBe('plot');
    expect(await page.$$eval(`${pane('loss')} .js-plotly-plot .scatterlayer .trace path.js-line`, (l) => l.length)).toBe(2);
    expect(await page.$$(`${pane('confusion')} .heatmaplayer image`)).toHaveLength(1);
    expect(await page.$$eval(`${pane('per-class')} .barlayer .point`, (l) => l.length)).toBe(10);
    for (const win of ['input', 'conv1']) {
      expect(await page.getAttribute(pane(win), 'data-kind')).toBe('image');
      expect(await page.$eval(`${pane(win)} img`, (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
    expect(await page.textContent(`${pane('input')} .image-caption`)).toContain('sample 17');
    const log = page.frameLocator(`${pane('log')} iframe`);
    expect(await log.locator('b').textContent()).toBe('12');
    expect(await log.locator('td').count()).toBe(6);
    expect(await page.textContent('[data-testid="pane-count"]')).toBe('9 windows');

    mkdirSync(ARTIFACTS, { recursive: true });
    // Tall enough to show the third row whole; panes resize nothing, so plots need no redraw.
    await page.setViewportSize({ width: 1440, height: 985 });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'ui.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(join(ARTIFACTS, 'ui.png'), join(ROOT, 'docs', 'screenshot.png'));
    }
  });

  test('a live append extends the plot in place; a new trace is added, not redrawn', async () => {
    await viz.line({ x: [0, 1, 2], y: [1, 0.8, 0.7] }, { win: 'loss', name: 'train', title: 'Loss' });
    await open();
    await ready('loss');
    const plot = `${pane('loss')} .js-plotly-plot`;
    await page.$eval(plot, (el) => ((el as unknown as { __marker: string }).__marker = 'kept'));
    expect(await page.getAttribute(plot, 'data-full-draws')).toBe('1');

    for (let step = 3; step < 8; step++) {
      await viz.line({ x: [step], y: [1 / step] }, { win: 'loss', update: 'append', name: 'train' });
    }
    await eventually(async () => (await pointCounts('loss'))[0] === 8);
    await viz.line({ x: [7], y: [0.3] }, { win: 'loss', update: 'append', name: 'val' });
    await eventually(async () => (await pointCounts('loss')).join() === '8,1');

    expect(await page.$eval(plot, (el) => (el as unknown as { __marker?: string }).__marker)).toBe('kept');
    expect(await page.getAttribute(plot, 'data-full-draws')).toBe('1');
    expect(Number(await page.getAttribute(plot, 'data-extends'))).toBeGreaterThanOrEqual(1);
    expect(await page.$$eval(`${plot} .scatterlayer .trace`, (l) => l.length)).toBe(2);
  });

  test('opts, text appends and heatmap edges update their panes live', async () => {
    await viz.line({ x: [0, 1], y: [1, 2] }, { win: 'loss', title: 'Loss' });
    await viz.text('line 1<br>', { win: 'log' });
    await viz.heatmap({ z: [[1, 2], [3, 4]] }, { win: 'hm' });
    await open();
    for (const win of ['loss', 'log', 'hm']) await ready(win);

    await viz.updateOpts('loss', { title: 'Loss (log)', ytype: 'log' });
    await viz.text('line 2<br>', { win: 'log', append: true });
    await viz.heatmap({ z: [[5, 6]] }, { win: 'hm', update: 'appendRow' });

    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Loss (log)', `${pane('loss')} .pane-title`);
    await eventually(async () =>
      page.$eval(`${pane('loss')} .js-plotly-plot`, (el) => (el as unknown as { layout: { yaxis: { type: string } } }).layout.yaxis.type === 'log'),
    );
    const log = page.frameLocator(`${pane('log')} iframe`);
    await eventually(async () => (await log.locator('body').textContent())?.includes('line 2'));
    await eventually(async () =>
      page.$eval(`${pane('hm')} .js-plotly-plot`, (el) => (el as unknown as { data: Array<{ z: number[][] }> }).data[0]?.z.length === 3),
    );
  });

  test('each kind of pane downloads as a PNG', async () => {
    await viz.line({ x: [0, 1, 2], y: [3, 1, 2] }, { win: 'loss', title: 'Loss' });
    await viz.image({ data: syntheticInput(32), shape: [3, 32, 32] }, { win: 'input' });
    await viz.text('<b>hello</b> world', { win: 'note', title: 'Note' });
    await open();
    for (const [win, name] of [['loss', 'Loss.png'], ['input', 'input.png'], ['note', 'Note.png']] as const) {
      await ready(win);
      await page.hover(pane(win));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`${pane(win)} [data-action="download"]`)]);
      expect(download.suggestedFilename()).toBe(name);
      const path = await download.path();
      const bytes = readFileSync(path);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      mkdirSync(ARTIFACTS, { recursive: true });
      await download.saveAs(join(ARTIFACTS, `download-${win}.png`));
    }
  });

  test('closing a pane in the UI closes the window on the server', async () => {
    await viz.text('bye', { win: 'note' });
    await viz.text('stay', { win: 'keep' });
    await open();
    await ready('note');
    await page.hover(pane('note'));
    await page.click(`${pane('note')} [data-action="close"]`);
    await page.waitForSelector(pane('note'), { state: 'detached' });
    expect((await getWindow('note')).status).toBe(404);
    expect((await getWindow('keep')).status).toBe(200);
  });

  test('dragging and resizing a pane saves the layout, and a reload restores it', async () => {
    await viz.line({ x: [0, 1], y: [1, 2] }, { win: 'a', title: 'A' });
    await viz.line({ x: [0, 1], y: [2, 1] }, { win: 'b', title: 'B' });
    await open();
    await ready('b');
    const before = await page.getAttribute(pane('a'), 'gs-x');

    // Drag A by its title bar to the right end of the first row.
    const header = await page.locator(`${pane('a')} .pane-header`).boundingBox();
    if (header === null) throw new Error('no header');
    await page.mouse.move(header.x + 60, header.y + header.height / 2);
    await page.mouse.down();
    await page.mouse.move(header.x + 900, header.y + header.height / 2, { steps: 20 });
    await page.mouse.up();
    await eventually(async () => (await getWindow('a')).body.layout !== null, 5000);
    const moved = await page.getAttribute(pane('a'), 'gs-x');
    expect(moved).not.toBe(before);

    // Make B taller from its bottom-right handle.
    await page.hover(pane('b'));
    const handle = await page.locator(`${pane('b')} .ui-resizable-se`).boundingBox();
    if (handle === null) throw new Error('no resize handle');
    const hBefore = Number(await page.getAttribute(pane('b'), 'gs-h'));
    const svgHeight = () => page.$eval(`${pane('b')} .main-svg`, (svg) => svg.getBoundingClientRect().height);
    const plotBefore = await svgHeight();
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 120, handle.y + 160, { steps: 15 });
    await page.mouse.up();
    await eventually(async () => {
      const layout = (await getWindow('b')).body.layout;
      return layout !== null && layout.h > hBefore;
    }, 5000);
    // The plot follows its pane.
    await eventually(async () => (await svgHeight()) > plotBefore + 100);

    const saved = (await getWindow('b')).body.layout;
    if (saved === null) throw new Error('layout of b not saved');
    await page.reload();
    await page.waitForSelector('body[data-syncs]');
    await ready('b');
    expect(await page.getAttribute(pane('a'), 'gs-x')).toBe(moved);
    expect(Number(await page.getAttribute(pane('b'), 'gs-h'))).toBe(saved.h);
    expect(Number(await page.getAttribute(pane('b'), 'gs-w'))).toBe(saved.w);
  });

  test('hostile HTML in a text pane does not run, and its formatting still shows', async () => {
    // Each payload would leave a mark in its own document, or in the UI's if it could reach it.
    const mark = (n: number) => `document.body.setAttribute('data-xss','${n}');try{parent.__xss=${n}}catch(e){}`;
    await viz.text(
      `<img src=x onerror="${mark(1)}"><script>${mark(2)}</script><b>bold</b>` +
        `<svg width="40" height="20" onload="${mark(3)}"><script>${mark(4)}</script><rect width="40" height="20" fill="red"/></svg>` +
        `<svg><image href="data:," onerror="${mark(5)}"/><a href="javascript:${mark(6)}"><text y="15">x</text></a></svg>`,
      { win: 'evil' },
    );
    await open();
    await ready('evil');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const frame = page.frameLocator(`${pane('evil')} iframe`);
    expect(await frame.locator('body[data-xss]').count()).toBe(0);
    expect(await frame.locator('svg rect').count()).toBe(1); // the SVG itself still shows
    expect((await frame.locator('svg rect').boundingBox())?.width).toBe(40);
    expect(await frame.locator('b').textContent()).toBe('bold');
    expect(await page.getAttribute(`${pane('evil')} iframe`, 'sandbox')).not.toContain('allow-scripts');
  });

  test('?static=1 shows a read-only snapshot over the REST read API', async () => {
    await viz.line({ x: [0, 1], y: [1, 2] }, { win: 'loss' });
    await page.goto(`${server.url}/?env=main&static=1`);
    await ready('loss');
    expect(await page.getAttribute('[data-testid="connection"]', 'data-state')).toBe('static');
  });

  test('the env picker lists new envs live and switches env', async () => {
    await open();
    await viz.line({ x: [0], y: [1] }, { win: 'other-loss', env: 'exp2' });
    await page.waitForSelector('#env-select option[value="exp2"]', { state: 'attached' });
    await page.selectOption('#env-select', 'exp2');
    await page.waitForSelector('body[data-env="exp2"]');
    await ready('other-loss');
    expect(new URL(page.url()).searchParams.get('env')).toBe('exp2');
  });

  test('200 panes: only visible plots draw, and streaming to all of them keeps the page responsive', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => viz.line({ x: [0], y: [i] }, { win: `p${i}`, title: `p${i}`, name: 'y' })));
    await open();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="pane"]').length === 200);
    await ready('p0');
    const drawn = await page.$$eval('.js-plotly-plot', (l) => l.length);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(60);

    const appends = Array.from({ length: 200 }, (_, i) => viz.line({ x: [1, 2], y: [i, i] }, { win: `p${i}`, update: 'append', name: 'y' }));
    const started = Date.now();
    await Promise.all(appends);
    // The main thread answers while 200 deltas arrive: coalesced per frame, off-screen panes deferred.
    const rtt = await page.evaluate(async () => {
      const t = performance.now();
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t;
    });
    expect(rtt).toBeLessThan(1000);
    await eventually(async () => (await pointCounts('p0')).join() === '3', 10_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('after a server restart the UI reconnects and resyncs from the snapshot', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-ui-restart-'));
    await viz.disconnect();
    await server.close();
    try {
      server = await startServer({ dataDir });
      const port = Number(new URL(server.url).port);
      viz = new CnnVis({ url: server.url, env: 'main' });
      await viz.text('before', { win: 'a' });
      await open();
      await ready('a');

      await viz.disconnect();
      await server.close();
      await page.waitForSelector('[data-testid="connection"][data-state="reconnecting"]');

      server = await startServer({ dataDir, port });
      viz = new CnnVis({ url: server.url, env: 'main' });
      await viz.text('after', { win: 'b' });
      await viz.close('a');
      await page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 20_000 });
      await ready('b');
      await page.waitForSelector(pane('a'), { state: 'detached' });
      expect(Number(await page.getAttribute('body', 'data-syncs'))).toBeGreaterThanOrEqual(2);
    } finally {
      await viz.disconnect();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
