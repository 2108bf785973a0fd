/**
 * The web UI in a real (Debian) Chromium, against the real server on port 0,
 * fed by the real SDK. Assumes the UI is built (`npm test` builds first).
 * Set UPDATE_SCREENSHOT=1 to copy the screenshot to docs/screenshot.png.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { eventually, startServer } from '../../../test/support/start-server';
import { useAppPage } from './support/app-page';
import { createUiDriver, pane } from './support/ui-driver';
import { syntheticInput } from './support/demo-data';
import { pushDemoRun } from './support/demo-run';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');

describe('web UI in Chromium', () => {
  const app = useAppPage();

  const open = (env?: string) => app.ui.open(env);
  const ready = (win: string) => app.ui.ready(win);
  const pointCounts = (win: string) => app.ui.pointCounts(win);
  const getWindow = (win: string, env?: string) => app.ui.getWindow(win, env);

  test('shows plots, images, heatmaps and text pushed live, and saves a screenshot', async () => {
    await open();
    expect(await app.page.isVisible('[data-testid="empty"]')).toBe(true);
    expect(await app.page.textContent('[data-testid="connection"]')).toBe('live');

    const wins = await pushDemoRun(app.viz);
    for (const win of wins) await ready(win);
    expect(await app.page.isVisible('[data-testid="empty"]')).toBe(false);
    expect(await app.page.getAttribute(pane('loss'), 'data-kind')).toBe('plot');
    expect(await app.page.$$eval(`${pane('loss')} .js-plotly-plot .scatterlayer .trace path.js-line`, (l) => l.length)).toBe(2);
    expect(await app.page.$$(`${pane('confusion')} .heatmaplayer image`)).toHaveLength(1);
    expect(await app.page.$$eval(`${pane('per-class')} .barlayer .point`, (l) => l.length)).toBe(10);
    for (const win of ['input', 'conv1']) {
      expect(await app.page.getAttribute(pane(win), 'data-kind')).toBe('image');
      expect(await app.page.$eval(`${pane(win)} img`, (img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
    expect(await app.page.textContent(`${pane('input')} .image-caption`)).toContain('sample 17');
    const log = app.page.frameLocator(`${pane('log')} iframe`);
    expect(await log.locator('b').textContent()).toBe('12');
    expect(await log.locator('td').count()).toBe(6);
    expect(await app.page.textContent('[data-testid="pane-count"]')).toBe('9 windows');

    mkdirSync(ARTIFACTS, { recursive: true });
    // Tall enough to show the third row whole; panes resize nothing, so plots need no redraw.
    await app.page.setViewportSize({ width: 1440, height: 985 });
    await app.page.mouse.move(0, 0);
    await app.page.waitForTimeout(300);
    await app.page.screenshot({ path: join(ARTIFACTS, 'ui.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') {
      mkdirSync(join(ROOT, 'docs'), { recursive: true });
      copyFileSync(join(ARTIFACTS, 'ui.png'), join(ROOT, 'docs', 'screenshot.png'));
    }
  });

  test('a live append extends the plot in place; a new trace is added, not redrawn', async () => {
    await app.viz.line({ x: [0, 1, 2], y: [1, 0.8, 0.7] }, { win: 'loss', name: 'train', title: 'Loss' });
    await open();
    await ready('loss');
    const plot = `${pane('loss')} .js-plotly-plot`;
    await app.page.$eval(plot, (el) => ((el as unknown as { __marker: string }).__marker = 'kept'));
    expect(await app.page.getAttribute(plot, 'data-full-draws')).toBe('1');

    for (let step = 3; step < 8; step++) {
      await app.viz.line({ x: [step], y: [1 / step] }, { win: 'loss', update: 'append', name: 'train' });
    }
    await eventually(async () => (await pointCounts('loss'))[0] === 8);
    await app.viz.line({ x: [7], y: [0.3] }, { win: 'loss', update: 'append', name: 'val' });
    await eventually(async () => (await pointCounts('loss')).join() === '8,1');

    expect(await app.page.$eval(plot, (el) => (el as unknown as { __marker?: string }).__marker)).toBe('kept');
    expect(await app.page.getAttribute(plot, 'data-full-draws')).toBe('1');
    expect(Number(await app.page.getAttribute(plot, 'data-extends'))).toBeGreaterThanOrEqual(1);
    expect(await app.page.$$eval(`${plot} .scatterlayer .trace`, (l) => l.length)).toBe(2);
  });

  test('opts, text appends and heatmap edges update their panes live', async () => {
    await app.viz.line({ x: [0, 1], y: [1, 2] }, { win: 'loss', title: 'Loss' });
    await app.viz.text('line 1<br>', { win: 'log' });
    await app.viz.heatmap({ z: [[1, 2], [3, 4]] }, { win: 'hm' });
    await open();
    for (const win of ['loss', 'log', 'hm']) await ready(win);

    await app.viz.updateOpts('loss', { title: 'Loss (log)', ytype: 'log' });
    await app.viz.text('line 2<br>', { win: 'log', append: true });
    await app.viz.heatmap({ z: [[5, 6]] }, { win: 'hm', update: 'appendRow' });

    await app.page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'Loss (log)', `${pane('loss')} .pane-title`);
    await eventually(async () =>
      app.page.$eval(`${pane('loss')} .js-plotly-plot`, (el) => (el as unknown as { layout: { yaxis: { type: string } } }).layout.yaxis.type === 'log'),
    );
    const log = app.page.frameLocator(`${pane('log')} iframe`);
    await eventually(async () => (await log.locator('body').textContent())?.includes('line 2'));
    await eventually(async () =>
      app.page.$eval(`${pane('hm')} .js-plotly-plot`, (el) => (el as unknown as { data: Array<{ z: number[][] }> }).data[0]?.z.length === 3),
    );
  });

  test('each kind of pane downloads as a PNG', async () => {
    await app.viz.line({ x: [0, 1, 2], y: [3, 1, 2] }, { win: 'loss', title: 'Loss' });
    await app.viz.image({ data: syntheticInput(32), shape: [3, 32, 32] }, { win: 'input' });
    await app.viz.text('<b>hello</b> world', { win: 'note', title: 'Note' });
    await open();
    for (const [win, name] of [['loss', 'Loss.png'], ['input', 'input.png'], ['note', 'Note.png']] as const) {
      await ready(win);
      await app.page.hover(pane(win));
      const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click(`${pane(win)} [data-action="download"]`)]);
      expect(download.suggestedFilename()).toBe(name);
      const path = await download.path();
      const bytes = readFileSync(path);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      mkdirSync(ARTIFACTS, { recursive: true });
      await download.saveAs(join(ARTIFACTS, `download-${win}.png`));
    }
  });

  test('closing a pane in the UI closes the window on the server', async () => {
    await app.viz.text('bye', { win: 'note' });
    await app.viz.text('stay', { win: 'keep' });
    await open();
    await ready('note');
    await app.page.hover(pane('note'));
    await app.page.click(`${pane('note')} [data-action="close"]`);
    await app.page.waitForSelector(pane('note'), { state: 'detached' });
    expect((await getWindow('note')).status).toBe(404);
    expect((await getWindow('keep')).status).toBe(200);
  });

  test('dragging and resizing a pane saves the layout, and a reload restores it', async () => {
    await app.viz.line({ x: [0, 1], y: [1, 2] }, { win: 'a', title: 'A' });
    await app.viz.line({ x: [0, 1], y: [2, 1] }, { win: 'b', title: 'B' });
    await open();
    await ready('b');
    const before = await app.page.getAttribute(pane('a'), 'gs-x');

    // Drag A by its title bar to the right end of the first row.
    const header = await app.page.locator(`${pane('a')} .pane-header`).boundingBox();
    if (header === null) throw new Error('no header');
    await app.page.mouse.move(header.x + 60, header.y + header.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(header.x + 900, header.y + header.height / 2, { steps: 20 });
    await app.page.mouse.up();
    await eventually(async () => (await getWindow('a')).body.layout !== null, 5000);
    const moved = await app.page.getAttribute(pane('a'), 'gs-x');
    expect(moved).not.toBe(before);

    // Make B taller from its bottom-right handle.
    await app.page.hover(pane('b'));
    const handle = await app.page.locator(`${pane('b')} .ui-resizable-se`).boundingBox();
    if (handle === null) throw new Error('no resize handle');
    const hBefore = Number(await app.page.getAttribute(pane('b'), 'gs-h'));
    const svgHeight = () => app.page.$eval(`${pane('b')} .main-svg`, (svg) => svg.getBoundingClientRect().height);
    const plotBefore = await svgHeight();
    await app.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(handle.x + 120, handle.y + 160, { steps: 15 });
    await app.page.mouse.up();
    await eventually(async () => {
      const layout = (await getWindow('b')).body.layout;
      return layout !== null && layout.h > hBefore;
    }, 5000);
    // The plot follows its pane.
    await eventually(async () => (await svgHeight()) > plotBefore + 100);

    const saved = (await getWindow('b')).body.layout;
    if (saved === null) throw new Error('layout of b not saved');
    await app.page.reload();
    await app.page.waitForSelector('body[data-syncs]');
    await ready('b');
    expect(await app.page.getAttribute(pane('a'), 'gs-x')).toBe(moved);
    expect(Number(await app.page.getAttribute(pane('b'), 'gs-h'))).toBe(saved.h);
    expect(Number(await app.page.getAttribute(pane('b'), 'gs-w'))).toBe(saved.w);
  });

  test('hostile HTML in a text pane does not run, and its formatting still shows', async () => {
    // Each payload would leave a mark in its own document, or in the UI's if it could reach it.
    const mark = (n: number) => `document.body.setAttribute('data-xss','${n}');try{parent.__xss=${n}}catch(e){}`;
    await app.viz.text(
      `<img src=x onerror="${mark(1)}"><script>${mark(2)}</script><b>bold</b>` +
        `<svg width="40" height="20" onload="${mark(3)}"><script>${mark(4)}</script><rect width="40" height="20" fill="red"/></svg>` +
        `<svg><image href="data:," onerror="${mark(5)}"/><a href="javascript:${mark(6)}"><text y="15">x</text></a></svg>`,
      { win: 'evil' },
    );
    await open();
    await ready('evil');
    await app.page.waitForTimeout(300);
    expect(await app.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const frame = app.page.frameLocator(`${pane('evil')} iframe`);
    expect(await frame.locator('body[data-xss]').count()).toBe(0);
    expect(await frame.locator('svg rect').count()).toBe(1); // the SVG itself still shows
    expect((await frame.locator('svg rect').boundingBox())?.width).toBe(40);
    expect(await frame.locator('b').textContent()).toBe('bold');
    expect(await app.page.getAttribute(`${pane('evil')} iframe`, 'sandbox')).not.toContain('allow-scripts');
  });

  test('?static=1 shows a read-only snapshot over the REST read API', async () => {
    await app.viz.line({ x: [0, 1], y: [1, 2] }, { win: 'loss' });
    await app.page.goto(`${app.server.url}/?env=main&static=1`);
    await ready('loss');
    expect(await app.page.getAttribute('[data-testid="connection"]', 'data-state')).toBe('static');
  });

  test('the env picker lists new envs live and switches env', async () => {
    await open();
    await app.viz.line({ x: [0], y: [1] }, { win: 'other-loss', env: 'exp2' });
    await app.page.waitForSelector('#env-select option[value="exp2"]', { state: 'attached' });
    await app.page.selectOption('#env-select', 'exp2');
    await app.page.waitForSelector('body[data-env="exp2"]');
    await ready('other-loss');
    expect(new URL(app.page.url()).searchParams.get('env')).toBe('exp2');
  });

  test('200 panes: only visible plots draw, and streaming to all of them keeps the page responsive', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => app.viz.line({ x: [0], y: [i] }, { win: `p${i}`, title: `p${i}`, name: 'y' })));
    await open();
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid="pane"]').length === 200);
    await ready('p0');
    const drawn = await app.page.$$eval('.js-plotly-plot', (l) => l.length);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(60);

    const appends = Array.from({ length: 200 }, (_, i) => app.viz.line({ x: [1, 2], y: [i, i] }, { win: `p${i}`, update: 'append', name: 'y' }));
    const started = Date.now();
    await Promise.all(appends);
    // The main thread answers while 200 deltas arrive: coalesced per frame, off-screen panes deferred.
    const rtt = await app.page.evaluate(async () => {
      const t = performance.now();
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t;
    });
    expect(rtt).toBeLessThan(1000);
    await eventually(async () => (await pointCounts('p0')).join() === '3', 10_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('after a server restart the UI reconnects and resyncs from the snapshot', async () => {
    // A server of its own on a data dir, so that it can be restarted on the same port.
    const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-ui-restart-'));
    let server = await startServer({ dataDir });
    let viz = new CnnVis({ url: server.url, env: 'main' });
    const ui = createUiDriver(app.page, () => server.url);
    try {
      const port = Number(new URL(server.url).port);
      await viz.text('before', { win: 'a' });
      await ui.open();
      await ui.ready('a');

      await viz.disconnect();
      await server.close();
      await app.page.waitForSelector('[data-testid="connection"][data-state="reconnecting"]');

      server = await startServer({ dataDir, port });
      viz = new CnnVis({ url: server.url, env: 'main' });
      await viz.text('after', { win: 'b' });
      await viz.close('a');
      await app.page.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 20_000 });
      await ui.ready('b');
      await app.page.waitForSelector(pane('a'), { state: 'detached' });
      expect(Number(await app.page.getAttribute('body', 'data-syncs'))).toBeGreaterThanOrEqual(2);
    } finally {
      await viz.disconnect();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
