/**
 * The first-scroll benchmark, callable from Node (the bench runner, a test):
 * fills an env with 200 images and 50 line plots, opens it in headless
 * Chromium with `?bench=scroll`, and scrolls it top to bottom once.
 * @example
 * await fillScrollEnv(server.url, 'scroll');
 * const { maxMs, p95Ms } = await measureScrollInChromium(server.url, 'scroll', { browser });
 */
import type { Browser, Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import type { ScrollBenchResult } from '../../src/bench/scroll-bench';
import { createRandom } from './demo-data';
import { launchChromium } from './ui-driver';

export const SCROLL_ENV = { images: 200, lines: 50 } as const;

/** 200 small RGB images, then 50 loss curves of 500 points below them (the plots start off screen). */
export async function fillScrollEnv(url: string, env: string): Promise<void> {
  const viz = new CnnVis({ url, env });
  const rnd = createRandom(7);
  const steps = Array.from({ length: 500 }, (_, i) => i);
  try {
    const images = Array.from({ length: SCROLL_ENV.images }, (_, i) =>
      viz.image({ data: Float32Array.from({ length: 3 * 48 * 48 }, () => rnd()), shape: [3, 48, 48] }, { win: `img${i}`, caption: `sample ${i}` }),
    );
    await Promise.all(images);
    const lines = Array.from({ length: SCROLL_ENV.lines }, (_, i) => {
      const y = steps.map((s) => 2 * Math.exp(-s / 120) + rnd() * 0.1);
      return viz.line({ x: steps, y }, { win: `loss${i}`, title: `run ${i}` });
    });
    await Promise.all(lines);
  } finally {
    await viz.disconnect();
  }
}

/** Open `env` with the bench hook and wait until the page has loaded and is quiet, nothing scrolled yet. */
export async function openScrollEnv(page: Page, url: string, env: string): Promise<void> {
  await page.goto(`${url}/?env=${encodeURIComponent(env)}&bench=scroll`);
  await page.waitForSelector(`body[data-env="${env}"][data-syncs]`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pane"]').length >= 250);
  // The first screen drawn (plotly loaded, images in), then a moment of quiet.
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-testid="pane"]'))
        .filter((el) => el.getBoundingClientRect().top < window.innerHeight)
        .every((el) => el.dataset['ready'] === 'true'),
    undefined,
    { timeout: 60_000, polling: 100 },
  );
  // Loaded means quiet: nothing on the wire (plotly's chunk preloads when the page idles) and an idle main thread.
  // The UI preloads plotly when idle; a build that does not is measured as it is.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => /plotly/.test(r.name)), undefined, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle');
  for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
  await page.waitForTimeout(300);
}

/** The page's figures, and the main thread's CPU time per task from a Chromium trace. */
export interface ScrollBenchRun extends ScrollBenchResult {
  /**
   * The longest main-thread task in CPU time (ms). Frame times are wall time and grow
   * when other processes take the cores; this does not, so runs on a busy machine compare.
   */
  maxTaskCpuMs: number;
  /** Main-thread tasks that used more than 50 ms of CPU. */
  tasksOver50CpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  tdur?: number;
  args?: { name?: string };
}

function mainThreadTasks(trace: Buffer): number[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (main === undefined) return [];
  return events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === main.pid && e.tid === main.tid).map((e) => (e.tdur ?? 0) / 1000);
}

export async function measureScrollInChromium(url: string, env: string, opts: { browser?: Browser; step?: number } = {}): Promise<ScrollBenchRun> {
  const browser = opts.browser ?? (await launchChromium());
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await openScrollEnv(page, url, env);
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const result = await page.evaluate((step) => (window as unknown as { cnnvisBench: { scroll(step: number): Promise<ScrollBenchResult> } }).cnnvisBench.scroll(step), opts.step ?? 100);
    const cpu = mainThreadTasks(await browser.stopTracing());
    await page.close();
    if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
    const round = (v: number) => Math.round(v * 10) / 10;
    return { ...result, maxTaskCpuMs: round(Math.max(0, ...cpu)), tasksOver50CpuMs: cpu.filter((c) => c > 50).length };
  } finally {
    if (opts.browser === undefined) await browser.close();
  }
}
