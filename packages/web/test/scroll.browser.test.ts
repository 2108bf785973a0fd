/**
 * A 250-pane env (200 images, 50 line plots) in a real Chromium: the first
 * scroll through it reports its frame times (the browser bench's figure), and
 * every pane still draws once it is scrolled into view. Assumes the UI is built.
 */
import { startServer, type TestServer } from '../../../test/support/start-server';
import { fillScrollEnv, measureScrollInChromium, openScrollEnv, SCROLL_ENV } from './support/scroll-bench';
import { useChromium } from './support/ui-driver';

describe('a 250-pane env in Chromium', () => {
  const chromium = useChromium();
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
    await fillScrollEnv(server.url, 'scroll');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  test('the first scroll to the bottom: frame times', async () => {
    const r = await measureScrollInChromium(server.url, 'scroll', { browser: chromium.browser });
    console.log(`bench=scroll: ${r.panes} panes, ${r.frames} frames over ${r.scrolledPx} px: max ${r.maxMs} ms (at ${r.worstAt} px), p95 ${r.p95Ms} ms, median ${r.medianMs} ms, ${r.longTasks} long tasks; longest main-thread task ${r.maxTaskCpuMs} ms of CPU, ${r.tasksOver50CpuMs} over 50 ms`);
    expect(r.panes).toBe(SCROLL_ENV.images + SCROLL_ENV.lines);
    expect(r.scrolledPx).toBeGreaterThan(5000);
    expect(r.frames).toBeGreaterThan(50);
  }, 120_000);

  test('every pane draws when it is scrolled into view', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await openScrollEnv(page, server.url, 'scroll');
      // Off-screen panes wait: far below the first screen nothing has drawn yet.
      expect(await page.$$eval('[data-testid="pane"][data-ready="true"]', (els) => els.length)).toBeLessThan(100);
      const undrawn = await page.evaluate(async () => {
        const missing: string[] = [];
        for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-testid="pane"]'))) {
          el.scrollIntoView({ block: 'center' });
          const until = performance.now() + 5000;
          while (el.dataset['ready'] !== 'true' && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
          if (el.dataset['ready'] !== 'true') missing.push(el.dataset['win'] ?? '?');
        }
        return missing;
      });
      expect(undrawn).toEqual([]);
      expect(await page.$$eval('[data-kind="plot"] .js-plotly-plot .scatterlayer .trace', (els) => els.length)).toBe(SCROLL_ENV.lines);
      expect(await page.$$eval('[data-kind="image"] img', (imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth === 48).length)).toBe(SCROLL_ENV.images);
    } finally {
      await page.close();
    }
  }, 180_000);
});
