/**
 * Finding one's way in the UI, in a real Chromium against the real server on
 * port 0: stepping through layers with keys and buttons, tensor names that
 * jump to their producer and consumers, Fit and Collapse all, shape labels
 * that cover no text, the env a bare URL lands on, and the Analyse dialog's
 * mean/std presets reaching the run. Assumes the UI is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { encodePng } from '../../../test/support/png-encode';
import { bigModel } from './support/big-model';
import { clickNode, nodeBox } from './support/graph-driver';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'packages', 'worker', 'test', 'fixtures');
const residual = () => readFileSync(join(FIXTURES, 'residual-opset17.onnx'));
const residualInput = () => {
  const ref = JSON.parse(readFileSync(join(FIXTURES, 'residual-reference.json'), 'utf8')) as { input: { shape: number[]; data: number[] } };
  return { data: Float32Array.from(ref.input.data), shape: ref.input.shape };
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Described {
  width: number;
  height: number;
  nodes: Array<Box & { id: string }>;
  boxes: Array<Box & { id: string }>;
  labels: Array<{ x: number; y: number; text: string }>;
  labelled: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('navigation in Chromium', () => {
  const app = useAppPage();

  const view = (win: string) => `${pane(win)} [data-testid="graph-view"]`;
  const layout = (win: string) => app.page.$eval(view(win), (el) => (el as unknown as { graphDebug: { layout(): Described } }).graphDebug.layout());
  const transform = (win: string) => app.page.$eval(view(win), (el) => (el as unknown as { graphDebug: { transform(): { x: number; y: number; k: number } } }).graphDebug.transform());
  const canvasBox = async (win: string) => {
    const b = await app.page.locator(`${pane(win)} [data-testid="graph-canvas"]`).boundingBox();
    if (b === null) throw new Error('no graph canvas');
    return b;
  };
  /** Every node box, in page px, lies inside the canvas. */
  const allInside = async (win: string) => {
    const [d, t, c] = [await layout(win), await transform(win), await canvasBox(win)];
    return d.nodes.every((n) => {
      const [x, y] = [c.x + n.x * t.k + t.x, c.y + n.y * t.k + t.y];
      return x >= c.x - 0.5 && y >= c.y - 0.5 && x + n.w * t.k <= c.x + c.width + 0.5 && y + n.h * t.k <= c.y + c.height + 0.5;
    });
  };

  test('keys and buttons step through the layers; tensor names jump to producer and consumers', async () => {
    await app.viz.featureMaps(residual(), residualInput(), { maxChannels: 4 });
    await app.ui.open();
    await app.ui.ready('fm-graph');
    const panel = `${pane('fm-graph')} [data-testid="layer-panel"]`;
    const shown = (id: string) => app.page.waitForSelector(`${panel}[data-node="${id}"]`);

    await clickNode(app.page, pane('fm-graph'), 'L:/stem/Conv');
    await shown('L:/stem/Conv');
    await app.page.keyboard.press(']');
    await shown('L:/stem_act/Relu');
    await app.page.keyboard.press('ArrowDown');
    await shown('L:/block1/dw/Conv');
    await app.page.keyboard.press('[');
    await shown('L:/stem_act/Relu');
    await app.page.click(`${panel} [data-step="1"]`);
    await shown('L:/block1/dw/Conv');
    await app.page.click(`${panel} [data-step="-1"]`);
    await app.page.click(`${panel} [data-step="-1"]`);
    await shown('L:/stem/Conv');
    await app.page.keyboard.press('k');
    await shown('I:input'); // the model's input comes first
    await app.page.keyboard.press('k');
    await shown('I:input'); // and nothing before it
    // Keys typed into the search box stay there.
    await app.page.fill(`${pane('fm-graph')} [data-testid="graph-search"]`, '');
    await app.page.type(`${pane('fm-graph')} [data-testid="graph-search"]`, 'j]');
    expect(await app.page.getAttribute(panel, 'data-node')).toBe('I:input');
    await app.page.fill(`${pane('fm-graph')} [data-testid="graph-search"]`, '');

    // The Add reads the stem's Relu and block1's Relu; the stem's Relu feeds block1's dw conv and the Add.
    await clickNode(app.page, pane('fm-graph'), 'L:/block1/add/Add');
    await shown('L:/block1/add/Add');
    const rows = await app.page.$$eval(`${panel} .tensor-row`, (els) => els.map((el) => `${(el as HTMLElement).dataset['role']} ${el.querySelector('.tensor-name')?.textContent}`));
    expect(rows).toEqual(['input /stem_act/Relu_output_0', 'input /block1/act/Relu_output_0', 'output /block1/add/Add_output_0']);
    await app.page.click(`${panel} .tensor-name[data-tensor="/stem_act/Relu_output_0"]`);
    await shown('L:/stem_act/Relu');
    const consumers = await app.page.$$eval(`${panel} .tensor-row[data-role="output"] .tensor-target`, (els) => els.map((el) => (el as HTMLElement).dataset['target']));
    expect(consumers).toEqual(['L:/block1/dw/Conv', 'L:/block1/add/Add']);
    await app.page.click(`${panel} .tensor-target[data-target="L:/block1/add/Add"]`);
    await shown('L:/block1/add/Add');
    await app.page.click(`${panel} .tensor-row[data-role="output"] .tensor-name`);
    await shown('L:/block1/bn/BatchNormalization');

    // A jump into a folded group opens it, and the view scrolls to the layer.
    await app.page.click(`${panel} [data-group="block1"]`);
    await app.page.waitForSelector(`${view('fm-graph')}[data-visible-nodes="12"]`);
    await clickNode(app.page, pane('fm-graph'), 'L:/stem_act/Relu');
    await app.page.click(`${panel} .tensor-target[data-target="L:/block1/dw/Conv"]`);
    await app.page.waitForSelector(`${view('fm-graph')}[data-visible-nodes="16"][data-selected="L:/block1/dw/Conv"]`);
    await app.page.mouse.wheel(0, 0);
    await app.page.mouse.move(0, 0);
    const [c, b] = [await canvasBox('fm-graph'), await nodeBox(app.page, pane('fm-graph'), 'L:/block1/dw/Conv')];
    expect(b.x).toBeGreaterThanOrEqual(c.x);
    expect(b.y).toBeGreaterThanOrEqual(c.y);
    expect(b.x + b.width).toBeLessThanOrEqual(c.x + c.width);
    expect(b.y + b.height).toBeLessThanOrEqual(c.y + c.height);
  });

  test('Fit shows every node of a tall graph; Collapse all leaves the graph centred', async () => {
    await app.viz.modelGraph(bigModel(30), { win: 'tall' }); // 122 layers in one column
    await app.ui.open();
    await app.page.waitForSelector(`${pane('tall')}[data-ready="true"]`, { timeout: 30_000 });
    expect(Number(await app.page.getAttribute(view('tall'), 'data-visible-nodes'))).toBe(124);
    expect(await allInside('tall')).toBe(false); // it opens on its top, readable
    await app.page.click(`${pane('tall')} [data-action="fit"]`);
    await app.page.waitForFunction((sel) => {
      const d = (document.querySelector(sel) as unknown as { graphDebug: { transform(): { k: number } } }).graphDebug.transform();
      return d.k < 0.5;
    }, view('tall'));
    expect(await allInside('tall')).toBe(true);

    // Pan away, then fold everything: the small graph that is left sits in the middle.
    const c = await canvasBox('tall');
    await app.page.mouse.move(c.x + 200, c.y + 200);
    await app.page.mouse.down();
    await app.page.mouse.move(c.x + 500, c.y + 260, { steps: 5 });
    await app.page.mouse.up();
    await app.page.click(`${pane('tall')} [data-action="collapse"]`);
    await app.page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-visible-nodes')) < 10, view('tall'));
    await app.page.waitForTimeout(100); // the fit lands on the next frame
    const [d, t] = [await layout('tall'), await transform('tall')];
    const left = Math.min(...d.nodes.map((n) => n.x));
    const right = Math.max(...d.nodes.map((n) => n.x + n.w));
    const top = Math.min(...d.nodes.map((n) => n.y));
    const bottom = Math.max(...d.nodes.map((n) => n.y + n.h));
    const middle = { x: ((left + right) / 2) * t.k + t.x, y: ((top + bottom) / 2) * t.k + t.y };
    expect(Math.abs(middle.x - c.width / 2)).toBeLessThan(30);
    expect(Math.abs(middle.y - c.height / 2)).toBeLessThan(30);
    expect(await allInside('tall')).toBe(true);
  }, 60_000);

  test('edge shape labels cover no node and no group title (ResNet-18 and MobileNetV2 shapes)', async () => {
    await app.viz.modelGraph(readFileSync(join(FIXTURES, 'resnet18-small.onnx')), { win: 'resnet' });
    await app.viz.modelGraph(readFileSync(join(FIXTURES, 'mobilenetv2-small.onnx')), { win: 'mobilenet' });
    await app.ui.open();
    for (const win of ['resnet', 'mobilenet']) {
      await app.page.waitForSelector(`${pane(win)}[data-ready="true"]`, { timeout: 30_000 });
      const d = await layout(win);
      expect(d.boxes.length).toBeGreaterThan(0); // group frames are drawn
      expect(d.labels.length).toBeGreaterThan(d.labelled * 0.6); // most edges keep their label
      // Measured here with the painter's font, not with the layout's own numbers.
      const widths = await app.page.evaluate((texts) => {
        const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
        ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
        return texts.map((t) => ctx.measureText(t).width);
      }, d.labels.map((l) => l.text));
      const labels = d.labels.map((l, i) => ({ x: l.x, y: l.y - 5, w: widths[i] ?? 0, h: 10, text: l.text }));
      const text = [...d.nodes, ...d.boxes.map((b) => ({ ...b, id: `title of ${b.id}`, h: 20 }))];
      for (const l of labels) {
        const covered = text.find((n) => overlaps(l, n));
        if (covered) throw new Error(`${win}: label ${l.text} at (${l.x.toFixed(0)}, ${l.y.toFixed(0)}) covers ${covered.id}`);
      }
      labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
    }
  }, 60_000);

  test('a bare URL lands on the most recently changed env', async () => {
    for (const env of ['alpha', 'beta', 'gamma']) {
      const other = new CnnVis({ url: app.server.url, env });
      await other.text(`hello from ${env}`, { win: 'note' });
      await other.disconnect();
      await new Promise((r) => setTimeout(r, 20)); // distinct change times
    }
    const alpha = new CnnVis({ url: app.server.url, env: 'alpha' });
    await alpha.text('alpha again', { win: 'note', append: true });
    await alpha.disconnect();
    await app.page.goto(`${app.server.url}/`);
    await app.page.waitForSelector('body[data-env="alpha"][data-syncs]');
    expect(await app.page.inputValue('[data-testid="env-select"]')).toBe('alpha');
    await app.ui.ready('note');
    // An explicit ?env= still wins, empty or not.
    await app.ui.open('main');
    expect(await app.page.isVisible('[data-testid="empty"]')).toBe(true);
  });

  test('"Analyse model…" is a button; its ImageNet preset reaches the run, and the empty env says it is analysing', async () => {
    await app.ui.open('fresh');
    const button = app.page.getByRole('button', { name: 'Analyse model…' });
    await button.click();
    const dialog = '[data-testid="analyse-dialog"]';
    await app.page.waitForSelector(`${dialog}[open]`);
    // One colour everywhere: the input's channels are (pixel / 255 − mean) / std, computable by hand.
    const rgb = [255, 128, 0];
    const png = encodePng({ width: 8, height: 8, colorType: 2, data: Buffer.from(Array.from({ length: 64 }, () => rgb).flat()) });
    await app.page.setInputFiles('[data-testid="analyse-model"]', { name: 'residual.onnx', mimeType: 'application/octet-stream', buffer: residual() });
    await app.page.setInputFiles('[data-testid="analyse-image"]', { name: 'orange.png', mimeType: 'image/png', buffer: png });
    await app.page.selectOption('[data-testid="analyse-preset"]', 'custom');
    await app.page.fill('[data-testid="analyse-std"]', '0.5, 0, 1');
    await app.page.click('[data-testid="analyse-submit"]');
    // The dialog reads the image's first bytes before it answers: wait for the message.
    const error = `${dialog} .dialog-error`;
    await app.page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '') !== '', error);
    expect(await app.page.textContent(error)).toContain('std');
    await app.page.selectOption('[data-testid="analyse-preset"]', 'imagenet');

    // Hold the upload's first request, to look at the page while the job runs.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await app.page.route('**/api/models/*', async (route) => {
      await held;
      await route.continue();
    });
    await app.page.click('[data-testid="analyse-submit"]');
    await app.page.waitForSelector(dialog, { state: 'hidden' });
    await app.page.waitForSelector('[data-testid="empty"][data-busy="true"]');
    expect(await app.page.textContent('[data-testid="empty"]')).toContain('Analysing');
    expect(await app.page.textContent('[data-testid="empty"]')).not.toContain('No windows');
    release();
    await app.ui.ready('fm-graph');
    expect(await app.page.isVisible('[data-testid="empty"]')).toBe(false);

    const win = (await (await fetch(`${app.server.url}/api/envs/fresh/windows/fm-graph`)).json()) as { content: { run: { runId: string } } };
    const meta = (await (await fetch(`${app.server.url}/api/runs/${win.content.run.runId}/maps/input`, { headers: { accept: 'application/json' } })).json()) as { channelMin: number[]; channelMax: number[] };
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    rgb.forEach((v, c) => {
      const want = (v / 255 - (mean[c] ?? 0)) / (std[c] ?? 1);
      expect(meta.channelMin[c]).toBeCloseTo(want, 3);
      expect(meta.channelMax[c]).toBeCloseTo(want, 3);
    });
  });
});
