/**
 * An attribution started from the layer panel, in a real Chromium against the
 * real server and worker: the forward passes shown before the run, progress
 * streamed pass by pass, the heatmap laid over the input picture (its
 * opacity slider changes the pixels), the error of a bad option in plain
 * words, and the kept heatmap shown again on a fresh page. The model is
 * support/maps-model.ts (32×32 RGB, a fixed batch: one pass per run). The
 * README's panel screenshot (docs/attribution-panel-screenshot.png with
 * UPDATE_SCREENSHOT=1; always .test-artifacts/attribution-panel.png).
 * Assumes the UI is built.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, clickNode } from './support/graph-driver';
import { CLASSES, IMAGENET, mapsModel, mapsPicture } from './support/maps-model';
import { useAppPage } from './support/app-page';
import { pane } from './support/ui-driver';

const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.test-artifacts');

describe('attribution from the layer panel', () => {
  const app = useAppPage({ serverPer: 'file', viewport: { width: 1440, height: 1000 } });

  beforeAll(async () => {
    await app.viz.featureMaps(mapsModel(), mapsPicture(), { preprocess: IMAGENET, labels: CLASSES });
  });

  const graph = pane('fm-graph');
  const panel = `${graph} [data-testid="layer-panel"]`;
  const section = `${panel} [data-testid="panel-attribution"]`;
  const picture = `${panel} [data-testid="input-picture"]`;
  const openLayer = async () => {
    await app.ui.open();
    await app.page.waitForSelector(`${graph}[data-ready="true"]`, { timeout: 60_000 });
    await clickNode(app.page, graph, 'L:/stem/conv/Conv');
    await app.page.waitForSelector(`${picture}[data-size="32x32"]`);
    await app.page.waitForSelector(section);
  };
  const passes = () => app.page.getAttribute(`${section} [data-testid="attr-passes"]`, 'data-passes');

  test('occlusion: passes shown first, progress streamed, the heatmap over the picture under the opacity slider', async () => {
    await openLayer();
    // 32² input: a 5 px patch (a seventh), stride 2: 15 × 15 positions.
    expect(await passes()).toBe('225');
    // The empty stride shows its default as a number, half the patch, following the patch as it is typed.
    const stridePlaceholder = () => app.page.getAttribute(`${section} [data-testid="attr-stride"]`, 'placeholder');
    expect(await stridePlaceholder()).toBe('2');
    await app.page.selectOption(`${section} [data-testid="attr-method"]`, 'score-cam');
    expect(await passes()).toBe('130'); // the last spatial conv, /wide/conv/Conv, has 130 channels
    expect(await app.page.textContent(`${section} [data-testid="attr-layer"] option:first-child`)).toContain('/wide/conv/Conv');
    await app.page.selectOption(`${section} [data-testid="attr-method"]`, 'occlusion');
    await app.page.fill(`${section} [data-testid="attr-patch"]`, '8');
    expect(await stridePlaceholder()).toBe('4');
    await app.page.fill(`${section} [data-testid="attr-stride"]`, '4');
    expect(await passes()).toBe('49');
    expect(await app.page.textContent(`${section} [data-testid="attr-passes"]`)).toBe('49 forward passes');
    // The target: top-1 by default, the stored output's top 5 offered, named by the run's labels.
    await app.page.waitForSelector(`${section} [data-testid="attr-target"] option:nth-child(5)`, { state: 'attached' });
    const targets = await app.page.$$eval(`${section} [data-testid="attr-target"] option`, (os) => os.map((o) => (o as HTMLOptionElement).text));
    expect(targets).toHaveLength(5);
    expect(targets[0]).toMatch(/^top-1: \S.* \(\d+\.\d%\)$/);
    expect(targets.every((t) => CLASSES.some((c) => t.includes(c)))).toBe(true);

    // A bad option fails the job with the server's words, and the form stays usable.
    await app.page.fill(`${section} [data-testid="attr-stride"]`, '0');
    expect(await app.page.textContent(`${section} [data-testid="attr-passes"]`)).toBe('patch and stride: whole numbers ≥ 1');
    await app.page.click(`${section} [data-testid="attr-run"]`);
    await app.page.waitForSelector(`${section}[data-state="failed"]`);
    expect(await app.page.textContent(`${section} [data-testid="attr-error"]`)).toMatch(/^Attribution failed: .*stride/);
    expect(await app.page.isEnabled(`${section} [data-testid="attr-run"]`)).toBe(true);
    await app.page.fill(`${section} [data-testid="attr-stride"]`, '4');

    const canvas = `${picture} canvas`;
    const plain = await canvasPixels(app.page, canvas);
    // Every text the progress line shows, as it shows it.
    await app.page.$eval(`${section} [data-testid="attr-progress"]`, (el) => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => seen.push(n.textContent ?? '')))).observe(el, { childList: true, subtree: true });
    });
    await app.page.click(`${section} [data-testid="attr-run"]`);
    await app.page.waitForSelector(`${section}[data-state="done"]`, { timeout: 60_000 });
    const seen = await app.page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const done = seen.flatMap((t) => /^(\d+) \/ 49 passes/.exec(t)?.slice(1) ?? []).map(Number);
    expect(seen.at(-1)).toBe('49 / 49 passes · done');
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(49);
    expect(done.some((d) => d > 0 && d < 49)).toBe(true);

    // The heatmap lies over the picture and is listed as kept with the run.
    await app.page.waitForSelector(`${picture}[data-overlay^="occlusion"]`);
    expect(await app.page.textContent(`${picture} figcaption`)).toMatch(/^input · overlay: occlusion · \S.* \(\d\) · 8 px, stride 4 · 49 passes$/);
    expect(await app.page.$$eval(`${section} [data-testid="attr-kept"] button[aria-pressed="true"]`, (b) => b.length)).toBe(1);
    const laid = await canvasPixels(app.page, canvas);
    expect(laid.hash).not.toBe(plain.hash);
    await app.page.fill(`${picture} [data-testid="overlay-opacity"]`, '0');
    await app.page.waitForSelector(`${picture}[data-opacity="0"]`);
    expect((await canvasPixels(app.page, canvas)).hash).toBe(plain.hash);
    await app.page.fill(`${picture} [data-testid="overlay-opacity"]`, '90');
    await app.page.waitForSelector(`${picture}[data-opacity="0.9"]`);
    expect((await canvasPixels(app.page, canvas)).hash).not.toBe(laid.hash);
    await app.page.fill(`${picture} [data-testid="overlay-opacity"]`, '60');

    mkdirSync(ARTIFACTS, { recursive: true });
    await app.page.locator(picture).evaluate((el) => el.scrollIntoView({ block: 'start' })); // the picture and the section under it
    await app.page.locator(panel).screenshot({ path: join(ARTIFACTS, 'attribution-panel.png') });
    if (process.env['UPDATE_SCREENSHOT'] === '1') copyFileSync(join(ARTIFACTS, 'attribution-panel.png'), join(ROOT, 'docs', 'attribution-panel-screenshot.png'));
    await app.page.waitForSelector(`${section} [data-testid="attr-error"]`, { state: 'hidden' });
  }, 180_000);

  test('a fresh page lays the kept heatmap over the picture', async () => {
    await openLayer();
    await app.page.waitForSelector(`${picture}[data-overlay^="occlusion"]`);
    expect(await app.page.$$eval(`${section} [data-testid="attr-kept"] button`, (b) => b.length)).toBe(1);
  }, 120_000);
});
