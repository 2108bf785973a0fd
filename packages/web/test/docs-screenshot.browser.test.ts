/**
 * The README's layer-graph screenshot (docs/graph-screenshot.png with
 * UPDATE_SCREENSHOT=1; always .test-artifacts/graph.png): a full ResNet-18 on
 * a drawn picture with ImageNet's mean/std, a layer2 conv open, a channel
 * enlarged and laid over the picture, the receptive field of the pixel under
 * the cursor outlined. Real server, SDK and Chromium. Assumes the UI is built.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { startServer } from '../../../test/support/start-server';
import { clickNode } from './support/graph-driver';
import { drawnPicture, resnet18Path } from './support/docs-model';
import { IMAGENET } from './support/maps-model';
import { createUiDriver, pane, useChromium } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');

describe('the README graph screenshot', () => {
  const chromium = useChromium();

  test('a ResNet-18 with a conv open: pages, the picture with an overlay, a receptive field', async () => {
    const model = resnet18Path();
    const server = await startServer();
    const viz = new CnnVis({ url: server.url, env: 'resnet18' });
    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    try {
      await viz.featureMaps(model, drawnPicture(), { preprocess: IMAGENET, modelName: 'resnet18.onnx' });
      const ui = createUiDriver(page, () => server.url);
      await ui.open('resnet18');
      const graph = `${pane('fm-graph')}`;
      await ui.ready('fm-graph');
      const id = 'L:/layer2/layer2.0/conv1/Conv';
      await page.fill(`${graph} [data-testid="graph-search"]`, 'layer2.0/conv1/Conv');
      await page.press(`${graph} [data-testid="graph-search"]`, 'Enter');
      await page.waitForSelector(`${graph} [data-testid="graph-view"][data-focused="${id}"]`);
      await clickNode(page, graph, id);
      const panel = `${graph} [data-testid="layer-panel"]`;
      const output = `${panel} [data-testid="maps-output"]`;
      await page.waitForSelector(`${output}[data-ready="true"]`);
      await page.waitForSelector(`${panel} [data-testid="input-picture"][data-size="224x224"]`);
      const grid = await page.locator(`${output} canvas`).boundingBox();
      if (grid === null) throw new Error('no output grid');
      await page.mouse.click(grid.x + grid.width * 0.3, grid.y + 3); // a channel of the first row
      const zoom = await page.locator(`${panel} .zoom-canvas`).boundingBox();
      if (zoom === null) throw new Error('no enlarged channel');
      await page.mouse.move(zoom.x + zoom.width * 0.42, zoom.y + zoom.height * 0.5);
      await page.waitForSelector(`${panel} [data-testid="input-picture"]:not([data-outline=""])`);
      await page.waitForTimeout(300);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graph.png') });
      if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(join(ARTIFACTS, 'graph.png'), join(ROOT, 'docs', 'graph-screenshot.png'));
    } finally {
      await page.close();
      await viz.disconnect();
      await server.close();
    }
  });
});
