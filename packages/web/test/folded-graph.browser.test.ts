/**
 * Weight-only nodes on torchvision-shaped exports (ResNet-18 and MobileNetV2,
 * narrow, 3×64×64, random weights): torch.onnx.export's Identity and Constant
 * nodes are folded into the layers that read them, in the graph, the panel,
 * the colouring and the stats table; the "All nodes" toggle draws them.
 * Real server on port 0, real SDK, Chromium. Assumes the UI is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { CnnVis, formatFeatureMaps, type FeatureMapsResult } from '@cnnvis/client';
import { onnx } from '../../../test/support/onnx';
import { clickNode, nodeBox } from './support/graph-driver';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const FIXTURES = join(__dirname, '..', '..', 'worker', 'test', 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
/** A float initializer of a model, as stored (little-endian raw data). */
function initializer(bytes: Uint8Array, name: string): number[] {
  const t = fromBinary(onnx.ModelProtoSchema, bytes).graph?.initializer.find((i) => i.name === name);
  if (!t) throw new Error(`no initializer ${name}`);
  const raw = t.rawData;
  return t.floatData.length > 0 ? [...t.floatData] : [...new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))];
}
const input = () => ({ data: Float32Array.from({ length: 3 * 64 * 64 }, (_, i) => Math.sin(i / 9)), shape: [1, 3, 64, 64] });

describe('weight-only nodes folded, in Chromium', () => {
  const app = useAppPage();

  const graph = pane('fm-graph');
  const view = `${graph} [data-testid="graph-view"]`;
  const laidOut = (id: string) =>
    app.page.$eval(view, (el, nodeId) => (el as unknown as { graphDebug: { clientRect(id: string): DOMRect | null } }).graphDebug.clientRect(nodeId) !== null, id);
  const searchCount = async (q: string) => {
    await app.page.fill(`${graph} [data-testid="graph-search"]`, q);
    return app.page.textContent(`${graph} [data-testid="graph-search-count"]`);
  };
  const toggleAll = () => app.page.click(`${graph} [data-testid="graph-all-nodes"] input`);

  async function analyse(file: string): Promise<FeatureMapsResult> {
    await app.ui.open();
    const result = await app.viz.featureMaps(fixture(file), input(), { maxChannels: 8 });
    await app.ui.ready('fm-graph');
    return result;
  }

  test('ResNet-18: no Identity is drawn, coloured or tabled; the toggle draws all 16', async () => {
    const result = await analyse('resnet18-small.onnx');
    expect(result.layers.some((l) => l.op === 'Identity')).toBe(false);
    expect(formatFeatureMaps(result)).not.toContain('Identity');
    const layers = result.layers.length; // every layer of this model outputs floats
    expect(Number(await app.page.getAttribute(view, 'data-visible-nodes'))).toBe(layers + 2);
    expect(await laidOut('L:Identity_0')).toBe(false);
    expect(await searchCount('Identity')).toBe('no match');

    await app.page.selectOption(`${graph} [data-testid="graph-color"]`, 'zeros');
    await toggleAll();
    await app.page.waitForSelector(`${view}[data-visible-nodes="${layers + 2 + 16}"]`);
    expect(await laidOut('L:Identity_0')).toBe(true);
    expect(await searchCount('Identity')).toBe('16 found');

    // Colouring skips folded nodes: a conv's card gives its % zeros, an Identity's none.
    const tooltip = `${graph} .graph-tooltip`;
    const hover = async (id: string) => {
      // Jump to it first (search, Enter): a tall graph fits only part of itself on screen.
      const search = `${graph} [data-testid="graph-search"]`;
      await app.page.fill(search, id.slice(2));
      await app.page.press(search, 'Enter');
      await app.page.waitForSelector(`${view}[data-focused="${id}"]`);
      const b = await nodeBox(app.page, graph, id);
      await app.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await app.page.waitForSelector(`${tooltip}:not([hidden]) .tip-name:text-is("${id.slice(2)}")`);
    };
    await hover('L:/layer1/layer1.0/conv1/Conv');
    expect(await app.page.locator(`${tooltip} .tip-stat`).count()).toBe(1);
    expect(await app.page.textContent(tooltip)).toMatch(/parameters in 2 weight tensors/);
    await hover('L:Identity_0');
    expect(await app.page.locator(`${tooltip} .tip-stat`).count()).toBe(0);

    await toggleAll();
    await app.page.waitForSelector(`${view}[data-visible-nodes="${layers + 2}"]`);
  });

  test('ResNet-18: a conv whose bias comes through an Identity shows one input map and lists its weights', async () => {
    await analyse('resnet18-small.onnx');
    await clickNode(app.page, graph, 'L:/layer1/layer1.0/conv1/Conv');
    const panel = `${graph} [data-testid="layer-panel"]`;
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"][data-ready="true"]`);
    expect(await app.page.$$eval(`${panel} [data-testid="maps-input"]`, (els) => els.map((e) => (e as HTMLElement).dataset['tensor']))).toEqual(['/maxpool/MaxPool_output_0']);
    const rows = await app.page.$$eval(`${panel} [data-testid="weight-list"] tr`, (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^onnx::Conv_196.*8×8×3×3/);
    expect(rows[1]).toMatch(/^onnx::Conv_197\s*8 float · via Identity_\d+$/);
    await app.page.waitForSelector(`${panel} [data-testid="filter-grid"]`);

    // A click on the top-left filter tile prints filter 0's kernel over input channel 0, as the model stores it.
    await app.page.locator(`${panel} [data-testid="filter-grid"]`).scrollIntoViewIfNeeded();
    const grid = await app.page.locator(`${panel} [data-testid="filter-grid"]`).boundingBox();
    if (grid === null) throw new Error('no filter grid');
    await app.page.mouse.click(grid.x + 2, grid.y + 2);
    await app.page.waitForSelector(`${panel} [data-testid="kernel-zoom"]`);
    expect(await app.page.textContent(`${panel} .kernel-title`)).toBe('filter 0 · input channel 0 · 3×3');
    const printed = await app.page.$$eval(`${panel} [data-testid="kernel-zoom"] td`, (tds) => tds.map((td) => Number((td as HTMLElement).dataset['value'])));
    const weights = initializer(fixture('resnet18-small.onnx'), 'onnx::Conv_196');
    const step = (Math.max(...weights) - Math.min(...weights)) / 255;
    expect(printed).toHaveLength(9);
    printed.forEach((v, i) => expect(Math.abs(v - (weights[i] ?? NaN))).toBeLessThanOrEqual(step / 2 + 1e-6));

    // The histogram reads out a bin's count under the pointer; its bins hold every weight.
    await app.page.locator(`${panel} [data-testid="weight-histogram"]`).scrollIntoViewIfNeeded();
    const hist = await app.page.locator(`${panel} [data-testid="weight-histogram"] canvas`).boundingBox();
    if (hist === null) throw new Error('no histogram');
    await app.page.mouse.move(hist.x + hist.width / 2, hist.y + hist.height / 2);
    const readout = `${panel} [data-testid="histogram-readout"]`;
    await app.page.waitForSelector(`${readout}[data-count]`);
    expect(await app.page.textContent(readout)).toMatch(/^\[-?[\d.e+-]+, -?[\d.e+-]+\): \d+ weights?$/);
  });

  test('MobileNetV2: Constants and Identities are folded into the Clips and convs; the toggle draws them', async () => {
    const result = await analyse('mobilenetv2-small.onnx');
    expect(new Set(result.layers.map((l) => l.op))).toEqual(new Set(['Conv', 'Clip', 'Add', 'GlobalAveragePool', 'Flatten', 'Gemm']));
    expect(Number(await app.page.getAttribute(view, 'data-visible-nodes'))).toBe(result.layers.length + 2);
    expect(await searchCount('Constant')).toBe('no match');
    await clickNode(app.page, graph, 'L:/features/features.0/features.0.2/Clip');
    const panel = `${graph} [data-testid="layer-panel"]`;
    await app.page.waitForSelector(`${panel} [data-testid="maps-input"][data-ready="true"]`);
    expect(await app.page.locator(`${panel} [data-testid="maps-input"]`).count()).toBe(1);
    expect(await app.page.locator(`${panel} [data-testid="weight-list"] tr`).count()).toBe(2);
    await toggleAll();
    await app.page.waitForSelector(`${view}[data-visible-nodes="${result.layers.length + 2 + 112}"]`);
    expect(await searchCount('Constant')).toBe('70 found');
  });
});
