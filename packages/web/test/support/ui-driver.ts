/**
 * Helpers for driving the built UI in Debian's Chromium with playwright-core
 * (never `npx playwright install`: the browser comes from apt).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium with everything that would reach the network turned off.
 * A missing browser fails the suite loudly: a skipped browser test would let CI pass untested.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    return Promise.reject(new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`));
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Selector of a pane root by window id. */
export const pane = (win: string) => `[data-testid="pane"][data-win="${win}"]`;

/** Ways to look at the UI served by `serverUrl`, in `page`. */
export function createUiDriver(page: Page, serverUrl: () => string) {
  return {
    /** Open the UI on `env` and wait for its first snapshot. */
    async open(env = 'main'): Promise<void> {
      await page.goto(`${serverUrl()}/?env=${encodeURIComponent(env)}`);
      await page.waitForSelector(`body[data-env="${env}"][data-syncs]`);
    },
    /** Wait until the pane has drawn (plot drawn, images loaded, text loaded). */
    ready: (win: string) => page.waitForSelector(`${pane(win)}[data-ready="true"]`, { timeout: 15_000 }),
    /** Points per trace of a plot pane, as plotly holds them. */
    pointCounts: (win: string) =>
      page.$eval(`${pane(win)} .js-plotly-plot`, (el) =>
        (el as unknown as { data: Array<{ x: unknown[] }> }).data.map((d) => d.x.length),
      ),
    /** The window as the REST read API reports it. */
    async getWindow(win: string, env = 'main') {
      const res = await fetch(`${serverUrl()}/api/envs/${env}/windows/${win}`);
      return { status: res.status, body: (await res.json()) as { layout: { x: number; y: number; w: number; h: number } | null } };
    },
  };
}
