/**
 * The README's layer-graph screenshot (docs/graph-screenshot.png with
 * UPDATE_SCREENSHOT=1; always .test-artifacts/graph.png): a full ResNet-18 on
 * a drawn picture with ImageNet's mean/std, a layer2 conv open, a channel
 * enlarged and laid over the picture, the receptive field of the pixel under
 * the cursor outlined. Real server, SDK and Chromium. Assumes the UI is built.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clickNode } from './support/graph-driver';
import { drawnPicture, resnet18Path } from './support/docs-model';
import { IMAGENET } from './support/maps-model';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');

describe('the README graph screenshot', () => {
  const app = useAppPage({ env: 'resnet18' });

  test('a ResNet-18 with a conv open: pages, the picture with an overlay, a receptive field', async () => {
    const model = resnet18Path();
    await app.viz.featureMaps(model, drawnPicture(), { preprocess: IMAGENET, modelName: 'resnet18.onnx' });
    await app.ui.open('resnet18');
    const graph = `${pane('fm-graph')}`;
    await app.ui.ready('fm-graph');
    const id = 'L:/layer2/layer2.0/conv1/Conv';
    await app.page.fill(`${graph} [data-testid="graph-search"]`, 'layer2.0/conv1/Conv');
    await app.page.press(`${graph} [data-testid="graph-search"]`, 'Enter');
    await app.page.waitForSelector(`${graph} [data-testid="graph-view"][data-focused="${id}"]`);
    await clickNode(app.page, graph, id);
    const panel = `${graph} [data-testid="layer-panel"]`;
    const output = `${panel} [data-testid="maps-output"]`;
    await app.page.waitForSelector(`${output}[data-ready="true"]`);
    await app.page.waitForSelector(`${panel} [data-testid="input-picture"][data-size="224x224"]`);
    const grid = await app.page.locator(`${output} canvas`).boundingBox();
    if (grid === null) throw new Error('no output grid');
    await app.page.mouse.click(grid.x + grid.width * 0.3, grid.y + 3); // a channel of the first row
    const zoom = await app.page.locator(`${panel} .zoom-canvas`).boundingBox();
    if (zoom === null) throw new Error('no enlarged channel');
    await app.page.mouse.move(zoom.x + zoom.width * 0.42, zoom.y + zoom.height * 0.5);
    await app.page.waitForSelector(`${panel} [data-testid="input-picture"]:not([data-outline=""])`);
    await app.page.waitForTimeout(300);
    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.screenshot({ path: join(ARTIFACTS, 'graph.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(join(ARTIFACTS, 'graph.png'), join(ROOT, 'docs', 'graph-screenshot.png'));
  });
});
