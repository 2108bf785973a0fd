/**
 * Helpers for driving the built UI in Debian's Chromium with playwright-core
 * (never `npx playwright install`: the browser comes from apt).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The built UI the server serves; browser tests need it (`npm test` builds first). */
const BUILT_UI = join(__dirname, '..', '..', 'dist', 'index.html');

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

/**
 * One Chromium for a test file: launched before its tests (failing them if the
 * UI is not built) and closed after. Read `.browser` inside tests and hooks.
 */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(BUILT_UI)) throw new Error('the UI is not built: run `npm run build -w @cnnvis/web`');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (browser === undefined) throw new Error('Chromium is not running (useChromium must be called at the top of a describe or file)');
      return browser;
    },
  };
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
