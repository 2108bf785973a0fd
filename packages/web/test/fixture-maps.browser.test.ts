/**
 * The panel's maps on the committed torchvision-shaped fixtures (ResNet-18 and
 * MobileNetV2, narrow, 3×64×64, random weights; packages/worker/fixtures-src):
 * paging to the last channel, the input as a picture with an overlay, and a
 * receptive field through ResNet's stem worked by hand. Real server, SDK,
 * Chromium. Assumes the UI is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, clickNode } from './support/graph-driver';
import { IMAGENET, mapsPicture } from './support/maps-model';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

describe('maps of the torchvision-shaped fixtures, in Chromium', () => {
  const app = useAppPage({ serverPer: 'file' });

  beforeAll(async () => {
    await app.viz.featureMaps(fixture('resnet18-small.onnx'), mapsPicture(64), { env: 'r18', preprocess: IMAGENET });
    await app.viz.featureMaps(fixture('mobilenetv2-small.onnx'), mapsPicture(64), { env: 'mnv2', preprocess: IMAGENET });
  });

  const graph = pane('fm-graph');
  const panel = `${graph} [data-testid="layer-panel"]`;
  const output = `${panel} [data-testid="maps-output"]`;
  const picture = `${panel} [data-testid="input-picture"]`;
  /** Search for a layer (which brings it into view, unfolding its group), then click it. */
  const openLayer = async (query: string, id: string) => {
    await app.page.fill(`${graph} [data-testid="graph-search"]`, query);
    await app.page.press(`${graph} [data-testid="graph-search"]`, 'Enter');
    await app.page.waitForSelector(`${graph} [data-testid="graph-view"][data-focused="${id}"]`);
    await clickNode(app.page, graph, id);
    await app.page.waitForSelector(`${panel}[data-node="${id}"]`);
  };
  const open = async (env: string) => {
    await app.ui.open(env);
    await app.ui.ready('fm-graph');
  };

  test("MobileNetV2: paging reaches the last of the 128 channels of the last conv", async () => {
    await open('mnv2');
    await openLayer('features.18/features.18.0/Conv', 'L:/features/features.18/features.18.0/Conv');
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    expect(await app.page.textContent(`${output} [data-testid="page-label"]`)).toBe('1–64 of 128');
    await app.page.click(`${output} [data-testid="page-next"]`);
    await app.page.waitForSelector(`${output}[data-first="64"][data-ready="true"]`);
    expect(await app.page.textContent(`${output} [data-testid="page-label"]`)).toBe('65–128 of 128');
    expect(await app.page.isDisabled(`${output} [data-testid="page-next"]`)).toBe(true);
    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    // The last tile: bottom right of an 8×8 grid.
    await app.page.mouse.click(grid.x + grid.width - 2, grid.y + grid.height - 2);
    await app.page.waitForSelector(`${panel} .zoom-canvas`);
    expect(await app.page.textContent(`${panel} .zoom-head span`)).toContain('channel 127 of 128');
    expect((await canvasPixels(app.page, `${output} canvas`)).colours).toBeGreaterThan(20);
  });

  test("ResNet-18: the picture and an overlay draw; a maxpool pixel's receptive field through the 7×7 stem matches the hand-worked one", async () => {
    await open('r18');
    await openLayer('maxpool/MaxPool', 'L:/maxpool/MaxPool');
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    await app.page.waitForSelector(`${picture}[data-size="64x64"]`);
    const plain = await canvasPixels(app.page, `${picture} canvas`);
    expect(plain.colours).toBeGreaterThan(20);

    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no grid');
    await app.page.mouse.click(grid.x + 2, grid.y + 2); // channel 0, 16×16
    await app.page.waitForSelector(`${picture}[data-overlay="/maxpool/MaxPool_output_0#0"]`);
    expect((await canvasPixels(app.page, `${picture} canvas`)).hash).not.toBe(plain.hash);

    const zoom = await app.page.locator(`${panel} .zoom-canvas`).boundingBox();
    if (zoom === null) throw new Error('no zoom');
    const px = zoom.width / 16;
    await app.page.mouse.move(zoom.x + 5.5 * px, zoom.y + 3.5 * px); // maxpool output (x 5, y 3)
    // Maxpool (k3 s2 p1) output o reads relu 2o−1 … 2o+1: columns 9…11, rows 5…7.
    // Conv1 (k7 s2 p3) output j reads input 2j−3 … 2j+3: columns 15…25, rows 7…17 (11×11).
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"] canvas[data-outline="9,5,12,8"]`);
    await app.page.waitForSelector(`${picture}[data-outline="15,7,26,18"]`);
  });

  test('ResNet-18: its 1000 logits show a top 5 with softmax', async () => {
    await open('r18');
    await openLayer('fc/Gemm', 'L:/fc/Gemm');
    await app.page.waitForSelector(`${panel} [data-testid="top-k"]`);
    expect(await app.page.$$eval(`${panel} .top-k-row`, (r) => r.length)).toBe(5);
    expect(await app.page.getAttribute(`${panel} [data-testid="top-k"]`, 'data-softmax')).toBe('true');
  });
});
