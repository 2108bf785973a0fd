/**
 * The layer panel's maps in a real Chromium against the real server: every
 * channel paged to the last, each tile's range on hover, colour bars with
 * numbers. The model (support/maps-model.ts) runs on a picture through the
 * SDK, with ImageNet's mean/std and class labels. Assumes the UI is built.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { FeatureMapMeta } from '@cnnvis/protocol';
import { canvasPixels, clickNode } from './support/graph-driver';
import { CLASSES, IMAGENET, mapsModel, mapsPicture, WIDE } from './support/maps-model';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ARTIFACTS = join(__dirname, '..', '..', '..', '.test-artifacts');

describe('layer panel maps in Chromium', () => {
  const app = useAppPage({ serverPer: 'file' });
  let runId: string;

  beforeAll(async () => {
    runId = (await app.viz.featureMaps(mapsModel(), mapsPicture(), { preprocess: IMAGENET, labels: CLASSES })).runId;
  });
  beforeEach(async () => {
    await app.ui.open();
    await app.ui.ready('fm-graph');
  });

  const graph = pane('fm-graph');
  const panel = `${graph} [data-testid="layer-panel"]`;
  const output = `${panel} [data-testid="maps-output"]`;
  const header = async (tensor: string) => (await (await fetch(`${app.server.url}/api/runs/${runId}/maps/${tensor}`)).json()) as FeatureMapMeta;

  test('paging reaches the last of 130 channels; tiles show their range on hover; colour bars carry numbers', async () => {
    await clickNode(app.page, graph, 'L:/wide/conv/Conv');
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    expect(await app.page.textContent(`${output} [data-testid="page-label"]`)).toBe(`1–64 of ${WIDE}`);
    expect(await app.page.getAttribute(`${output} canvas`, 'data-channels')).toBe('64');
    await app.page.click(`${output} [data-testid="page-next"]`);
    await app.page.waitForSelector(`${output}[data-first="64"][data-ready="true"]`);
    await app.page.click(`${output} [data-testid="page-next"]`);
    await app.page.waitForSelector(`${output}[data-first="128"][data-ready="true"]`);
    expect(await app.page.textContent(`${output} [data-testid="page-label"]`)).toBe(`129–130 of ${WIDE}`);
    expect(await app.page.getAttribute(`${output} canvas`, 'data-channels')).toBe('2');
    expect(await app.page.isDisabled(`${output} [data-testid="page-next"]`)).toBe(true);

    // Hover the last tile: its own min and max, as the server's header has them.
    const meta = await header('w');
    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    await app.page.mouse.move(grid.x + grid.width - 3, grid.y + 3);
    await app.page.waitForSelector(`${output} [data-testid="tile-range"][data-channel="129"]`);
    const text = await app.page.textContent(`${output} [data-testid="tile-range"]`);
    expect(text).toMatch(/^channel 129: min -?[\d.e+-]+ · max -?[\d.e+-]+$/);
    const [, min, max] = /min (\S+) · max (\S+)/.exec(text ?? '') ?? [];
    // formatNumber keeps 4 significant digits or so.
    const near = (shown: string | undefined, v: number | undefined) => expect(Math.abs(Number(shown) - (v ?? NaN))).toBeLessThanOrEqual(Math.abs(v ?? 0) * 5e-4 + 1e-4);
    near(min, meta.channelMin[129]);
    near(max, meta.channelMax[129]);

    // Enlarge it: the zoom names the channel of the whole layer, and its colour bar its range.
    await app.page.mouse.click(grid.x + grid.width - 3, grid.y + 3);
    await app.page.waitForSelector(`${panel} .zoom-canvas`);
    expect(await app.page.textContent(`${panel} .zoom-head span`)).toContain(`channel 129 of ${WIDE}`);
    const zoomBar = `${panel} [data-testid="channel-zoom"] [data-testid="color-bar"]`;
    expect(Number(await app.page.getAttribute(zoomBar, 'data-max'))).toBeCloseTo(meta.channelMax[129] ?? NaN, 5);
    expect((await app.page.textContent(`${zoomBar} .color-bar-ticks`))?.length).toBeGreaterThan(2);

    // Per layer: the block's colour bar spans the stored channels' range, in numbers.
    await app.page.click(`${panel} [data-norm="layer"]`);
    const bar = `${output} [data-testid="color-bar"]`;
    expect(Number(await app.page.getAttribute(bar, 'data-min'))).toBeCloseTo(Math.min(...meta.channelMin), 5);
    expect(Number(await app.page.getAttribute(bar, 'data-max'))).toBeCloseTo(Math.max(...meta.channelMax), 5);
    expect(await app.page.$$eval(`${bar} .color-bar-ticks span`, (s) => s.length)).toBe(3);

    await app.page.click(`${output} [data-testid="page-prev"]`);
    await app.page.waitForSelector(`${output}[data-first="64"][data-ready="true"]`);
  });

  /** RGBA of CSS pixel (x, y) of a canvas (drawn at device scale 1). */
  const pixelAt = (selector: string, x: number, y: number) =>
    app.page.$eval(selector, (el, [px, py]) => Array.from((el as HTMLCanvasElement).getContext('2d')?.getImageData(px as number, py as number, 1, 1).data ?? []), [x, y]);
  const picture = `${panel} [data-testid="input-picture"]`;

  test("the input draws as RGB with ImageNet's mean/std undone; an enlarged channel lays over it, faded by the slider", async () => {
    await clickNode(app.page, graph, 'L:/stem/conv/Conv');
    await app.page.waitForSelector(`${picture}[data-size="32x32"]`);
    const canvas = `${picture} canvas`;
    const scale = ((await app.page.locator(canvas).boundingBox())?.width ?? 0) / 32;
    const at = (x: number, y: number) => pixelAt(canvas, Math.floor((x + 0.5) * scale), Math.floor((y + 0.5) * scale));
    // The picture's pixels (support/maps-model.ts), back through (x · std + mean) · 255, to a level or two of quantisation.
    const near = (got: number[], want: number[]) => want.forEach((v, i) => expect(Math.abs((got[i] ?? -99) - v)).toBeLessThanOrEqual(2));
    near(await at(20, 12), [230, 40, 30]); // the red disc
    near(await at(2, 30), [20, 16, 15]); // the ramp: green x·8, blue 255 − y·8
    near(await at(31, 0), [20, 248, 255]);
    const plain = await canvasPixels(app.page, canvas);

    // Enlarge output channel 0: it lies over the picture, upsampled from 16×16.
    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    await app.page.mouse.click(grid.x + 2, grid.y + 2);
    await app.page.waitForSelector(`${picture}[data-overlay="s#0"]`);
    const laid = await canvasPixels(app.page, canvas);
    expect(laid.hash).not.toBe(plain.hash);
    // Opacity 0 shows the picture alone; 100 the map alone.
    await app.page.fill(`${picture} [data-testid="overlay-opacity"]`, '0');
    await app.page.waitForSelector(`${picture}[data-opacity="0"]`);
    expect((await canvasPixels(app.page, canvas)).hash).toBe(plain.hash);
    await app.page.fill(`${picture} [data-testid="overlay-opacity"]`, '100');
    await app.page.waitForSelector(`${picture}[data-opacity="1"]`);
    const full = await canvasPixels(app.page, canvas);
    expect(full.hash).not.toBe(laid.hash);
    expect(full.greyFraction).toBeLessThan(0.1); // viridis, not the picture
  });

  test('hovering a pixel of the dilated conv outlines its receptive field, worked by hand, on the input map and the picture', async () => {
    await clickNode(app.page, graph, 'L:/wide/conv/Conv');
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    await app.page.waitForSelector(`${picture}[data-size="32x32"]`);
    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    await app.page.mouse.click(grid.x + 2, grid.y + 2);
    const zoom = app.page.locator(`${panel} .zoom-canvas`);
    await zoom.waitFor();
    const z = await zoom.boundingBox();
    if (z === null) throw new Error('no zoom');
    const px = z.width / 8; // the map is 8×8
    await app.page.mouse.move(z.x + 5.5 * px, z.y + 3.5 * px); // output (x 5, y 3)
    await app.page.waitForSelector(`${panel} [data-testid="channel-value"]`);
    expect(await app.page.textContent(`${panel} [data-testid="channel-value"]`)).toMatch(/^\(5, 3\)/);
    // By hand (see test/receptive-field.test.ts): w(3, 5) reads p rows 1…5, columns 3…7 (k3, dilation 2, pad 2);
    // those read image rows 1…23, columns 9…31 (maxpool k3 s2 p1, conv k3 s2 p1).
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"] canvas[data-outline="3,1,8,6"]`);
    await app.page.waitForSelector(`${picture}[data-outline="9,1,32,24"]`);
    // The outline is drawn where it says: white just inside its left edge, at mid height.
    const scale = ((await app.page.locator(`${picture} canvas`).boundingBox())?.width ?? 0) / 32;
    const edge = await pixelAt(`${picture} canvas`, Math.floor(9 * scale + 0.5), Math.round(12.5 * scale)); // the white stroke spans 9·scale … 9·scale + 2
    expect(edge.slice(0, 3).every((v) => v > 230)).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'maps-receptive-field.png') }); // to look at by eye
    // Leaving the channel clears both.
    await app.page.mouse.move(z.x - 40, z.y - 40);
    await app.page.waitForSelector(`${picture}[data-outline=""]`);
    expect(await app.page.getAttribute(`${panel} [data-testid="maps-input"] canvas`, 'data-outline')).toBe('');
    // Hovering the same pixel of a tile in the output grid outlines the same field: 8 columns of 8×8 tiles, 2 px apart.
    await app.page.locator(`${output} canvas`).scrollIntoViewIfNeeded(); // the enlarged channel scrolled the panel
    const now = await app.page.locator(`${output} canvas`).boundingBox();
    if (now === null) throw new Error('no grid');
    const tile = (now.width - 7 * 2) / 8;
    await app.page.mouse.move(now.x + (5.5 / 8) * tile, now.y + (3.5 / 8) * tile);
    await app.page.waitForSelector(`${picture}[data-outline="9,1,32,24"]`);
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"] canvas[data-outline="3,1,8,6"]`);
  });

  test("the classifier's output shows its top 5 as bars: the run's labels, softmax of the logits", async () => {
    await clickNode(app.page, graph, 'L:/head/fc/Gemm');
    await app.page.waitForSelector(`${panel} [data-testid="top-k"]`);
    await app.page.screenshot({ path: join(ARTIFACTS, 'maps-top-k.png') });
    expect(await app.page.getAttribute(`${panel} [data-testid="top-k"]`, 'data-softmax')).toBe('true');
    const rows = await app.page.$$eval(`${panel} .top-k-row`, (els) =>
      els.map((e) => ({ index: Number((e as HTMLElement).dataset['index']), p: Number((e as HTMLElement).dataset['probability']), name: e.querySelector('.top-k-name')?.textContent, width: (e.querySelector('.top-k-bar') as HTMLElement).getBoundingClientRect().width })),
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r.name).toBe(CLASSES[r.index]);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]?.p ?? 1).toBeLessThanOrEqual(rows[i - 1]?.p ?? 0);
      expect(rows[i]?.width ?? 1).toBeLessThanOrEqual((rows[i - 1]?.width ?? 0) + 0.5);
    }
    // The logits are stored exactly (a range per value): the bars are their softmax, largest first.
    const meta = await header('logits');
    expect(meta.channelMin).toHaveLength(10);
    const logits = meta.channelMin;
    const z = logits.reduce((sum, v) => sum + Math.exp(v), 0);
    const want = logits.map((v, index) => ({ index, p: Math.exp(v) / z })).sort((a, b) => b.p - a.p).slice(0, 5);
    rows.forEach((r, i) => {
      expect(r.index).toBe(want[i]?.index);
      expect(r.p).toBeCloseTo(want[i]?.p ?? NaN, 6);
    });
  });

  /** A downloaded PNG, decoded. */
  const downloaded = async (click: () => Promise<void>) => {
    const [download] = await Promise.all([app.page.waitForEvent('download'), click()]);
    mkdirSync(ARTIFACTS, { recursive: true });
    copyFileSync(await download.path(), join(ARTIFACTS, `export-${download.suggestedFilename()}`)); // to look at by eye
    const png = PNG.sync.read(readFileSync(await download.path()));
    return { png, name: download.suggestedFilename(), rgb: (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)) };
  };

  test('the layer panel exports as one PNG, scrolled-away parts included; the pane exports graph and panel together', async () => {
    await clickNode(app.page, graph, 'L:/wide/conv/Conv');
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    await app.page.waitForSelector(`${picture}[data-size="32x32"]`);
    await app.page.waitForSelector(`${panel} [data-testid="layer-stats"]`);
    const size = await app.page.$eval(panel, (el) => {
      const scroll = el.querySelector('.panel-scroll') as HTMLElement;
      return { width: el.getBoundingClientRect().width, height: el.getBoundingClientRect().height, hidden: scroll.scrollHeight - scroll.clientHeight };
    });
    expect(size.hidden).toBeGreaterThan(0); // the statistics lie below the fold

    const shot = await downloaded(() => app.page.click(`${panel} [data-testid="panel-export"]`));
    expect(shot.name).toBe('layer_wide_conv_Conv.png');
    expect(shot.png.width).toBe(Math.ceil(size.width));
    expect(shot.png.height).toBe(Math.ceil(size.height + size.hidden));
    // The output grid's pixels are in it, where the panel has the grid.
    const grid = await app.page.$eval(`${output} canvas`, (c, p) => {
      const r = c.getBoundingClientRect();
      const o = (document.querySelector(p) as HTMLElement).getBoundingClientRect();
      const d = (c as HTMLCanvasElement).getContext('2d')?.getImageData(10, 10, 1, 1).data ?? [];
      return { x: r.left - o.left, y: r.top - o.top, rgb: Array.from(d).slice(0, 3) };
    }, panel);
    expect(shot.rgb(Math.round(grid.x + 10), Math.round(grid.y + 10))).toEqual(grid.rgb);
    // The statistics, below the fold, are drawn too: the bottom part is not blank.
    const bottom = new Set<string>();
    for (let y = shot.png.height - Math.round(size.hidden); y < shot.png.height; y += 3) for (let x = 0; x < shot.png.width; x += 3) bottom.add(shot.rgb(x, y).join());
    expect(bottom.size).toBeGreaterThan(3);

    await app.page.hover(`${graph} .pane-header`);
    const pane = await downloaded(() => app.page.click(`${graph} [data-action="download"]`));
    const view = await app.page.$eval(`${graph} [data-testid="graph-view"]`, (el) => el.getBoundingClientRect().width);
    expect(pane.png.width).toBe(Math.ceil(view));
    expect(pane.png.height).toBeGreaterThan(size.height); // the panel unrolled beside the graph
  });
});
