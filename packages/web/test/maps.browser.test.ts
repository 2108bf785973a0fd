/**
 * The layer panel's maps in a real Chromium against the real server: every
 * channel paged to the last, each tile's range on hover, colour bars with
 * numbers. The model (support/maps-model.ts) runs on a picture through the
 * SDK, with ImageNet's mean/std and class labels. Assumes the UI is built.
 */
import type { Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import type { FeatureMapMeta } from '@cnnvis/protocol';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { clickNode } from './support/graph-driver';
import { CLASSES, IMAGENET, mapsModel, mapsPicture, WIDE } from './support/maps-model';
import { createUiDriver, pane, useChromium } from './support/ui-driver';

describe('layer panel maps in Chromium', () => {
  const chromium = useChromium();
  let server: TestServer;
  let viz: CnnVis;
  let page: Page;
  let errors: string[];
  let runId: string;

  beforeAll(async () => {
    server = await startServer();
    viz = new CnnVis({ url: server.url, env: 'main' });
    runId = (await viz.featureMaps(mapsModel(), mapsPicture(), { preprocess: IMAGENET, labels: CLASSES })).runId;
  });
  afterAll(async () => {
    await viz?.disconnect();
    await server?.close();
  });
  beforeEach(async () => {
    page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await createUiDriver(page, () => server.url).open();
    await createUiDriver(page, () => server.url).ready('fm-graph');
  });
  afterEach(async () => {
    await page?.close();
    expect(errors).toEqual([]);
  });

  const graph = pane('fm-graph');
  const panel = `${graph} [data-testid="layer-panel"]`;
  const output = `${panel} [data-testid="maps-output"]`;
  const header = async (tensor: string) => (await (await fetch(`${server.url}/api/runs/${runId}/maps/${tensor}`)).json()) as FeatureMapMeta;

  test('paging reaches the last of 130 channels; tiles show their range on hover; colour bars carry numbers', async () => {
    await clickNode(page, graph, 'L:/wide/conv/Conv');
    await page.waitForSelector(`${output}[data-ready="true"]`);
    expect(await page.textContent(`${output} [data-testid="page-label"]`)).toBe(`1–64 of ${WIDE}`);
    expect(await page.getAttribute(`${output} canvas`, 'data-channels')).toBe('64');
    await page.click(`${output} [data-testid="page-next"]`);
    await page.waitForSelector(`${output}[data-first="64"][data-ready="true"]`);
    await page.click(`${output} [data-testid="page-next"]`);
    await page.waitForSelector(`${output}[data-first="128"][data-ready="true"]`);
    expect(await page.textContent(`${output} [data-testid="page-label"]`)).toBe(`129–130 of ${WIDE}`);
    expect(await page.getAttribute(`${output} canvas`, 'data-channels')).toBe('2');
    expect(await page.isDisabled(`${output} [data-testid="page-next"]`)).toBe(true);

    // Hover the last tile: its own min and max, as the server's header has them.
    const meta = await header('w');
    const grid = await page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    await page.mouse.move(grid.x + grid.width - 3, grid.y + 3);
    await page.waitForSelector(`${output} [data-testid="tile-range"][data-channel="129"]`);
    const text = await page.textContent(`${output} [data-testid="tile-range"]`);
    expect(text).toMatch(/^channel 129: min -?[\d.e+-]+ · max -?[\d.e+-]+$/);
    const [, min, max] = /min (\S+) · max (\S+)/.exec(text ?? '') ?? [];
    // formatNumber keeps 4 significant digits or so.
    const near = (shown: string | undefined, v: number | undefined) => expect(Math.abs(Number(shown) - (v ?? NaN))).toBeLessThanOrEqual(Math.abs(v ?? 0) * 5e-4 + 1e-4);
    near(min, meta.channelMin[129]);
    near(max, meta.channelMax[129]);

    // Enlarge it: the zoom names the channel of the whole layer, and its colour bar its range.
    await page.mouse.click(grid.x + grid.width - 3, grid.y + 3);
    await page.waitForSelector(`${panel} .zoom-canvas`);
    expect(await page.textContent(`${panel} .zoom-head span`)).toContain(`channel 129 of ${WIDE}`);
    const zoomBar = `${panel} [data-testid="channel-zoom"] [data-testid="color-bar"]`;
    expect(Number(await page.getAttribute(zoomBar, 'data-max'))).toBeCloseTo(meta.channelMax[129] ?? NaN, 5);
    expect((await page.textContent(`${zoomBar} .color-bar-ticks`))?.length).toBeGreaterThan(2);

    // Per layer: the block's colour bar spans the stored channels' range, in numbers.
    await page.click(`${panel} [data-norm="layer"]`);
    const bar = `${output} [data-testid="color-bar"]`;
    expect(Number(await page.getAttribute(bar, 'data-min'))).toBeCloseTo(Math.min(...meta.channelMin), 5);
    expect(Number(await page.getAttribute(bar, 'data-max'))).toBeCloseTo(Math.max(...meta.channelMax), 5);
    expect(await page.$$eval(`${bar} .color-bar-ticks span`, (s) => s.length)).toBe(3);

    await page.click(`${output} [data-testid="page-prev"]`);
    await page.waitForSelector(`${output}[data-first="64"][data-ready="true"]`);
  });
});
