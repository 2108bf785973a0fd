/**
 * The browser-side layout benchmark, callable from Node (the lead's `npm run
 * bench`, or a test): opens `?bench=layout` on a running cnnvis server in
 * headless Chromium and returns what the page measured.
 * @example
 * const { medianMs } = await measureLayoutInChromium(server.url, { nodes: 1000 });
 */
import type { Browser } from 'playwright-core';
import type { LayoutBenchResult } from '../../src/bench/layout-bench-result';
import { launchChromium } from './ui-driver';

export interface LayoutBenchOptions {
  /** Layers of the generated graph. @default 1000 */
  nodes?: number;
  /** Timed layouts after the cold one. @default 5 */
  runs?: number;
  /** Force an engine; by default the one the graph pane picks for that size. */
  engine?: 'elk' | 'layered';
  /** Reuse a browser; otherwise one is started and closed. */
  browser?: Browser;
}

export async function measureLayoutInChromium(serverUrl: string, opts: LayoutBenchOptions = {}): Promise<LayoutBenchResult> {
  const browser = opts.browser ?? (await launchChromium());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const engine = opts.engine === undefined ? '' : `&engine=${opts.engine}`;
    await page.goto(`${serverUrl}/?bench=layout&nodes=${opts.nodes ?? 1000}&runs=${opts.runs ?? 5}${engine}`);
    await page.waitForSelector('[data-testid="bench"][data-result]', { timeout: 180_000 });
    const result = JSON.parse((await page.getAttribute('[data-testid="bench"]', 'data-result')) ?? 'null') as LayoutBenchResult;
    await page.close();
    if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
    return result;
  } finally {
    if (opts.browser === undefined) await browser.close();
  }
}
