/**
 * The setup every browser test shares: the real server on port 0, the SDK
 * talking to it, and a Chromium page on the built UI, each closed after use.
 */
import type { Browser, Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import type { ServerOptions } from 'cnnvis-server';
import { startServer, type TestServer } from '../../../../test/support/start-server';
import { createUiDriver, useChromium } from './ui-driver';

export interface AppPageOptions {
  /**
   * 'test': a fresh server for each test; 'file': one server (and SDK) for the
   * file's tests, so what a `beforeAll` pushes is there for each of them.
   * @default 'test'
   */
  serverPer?: 'test' | 'file';
  /** Options for the server. */
  server?: Partial<ServerOptions>;
  /** The SDK's env. @default 'main' */
  env?: string;
  /** @default { width: 1440, height: 900 } */
  viewport?: { width: number; height: number };
}

export interface AppPage {
  readonly browser: Browser;
  readonly server: TestServer;
  /** The SDK, connected on first use. */
  readonly viz: CnnVis;
  /** A fresh page for each test. */
  readonly page: Page;
  /** Ways to look at the UI in `page`. */
  readonly ui: ReturnType<typeof createUiDriver>;
}

/**
 * Register the hooks that start and close the server, SDK and page; call it at
 * the top of a describe or file and read the fields inside tests and hooks
 * (hooks declared after it see them set up).
 */
export function useAppPage(opts: AppPageOptions = {}): AppPage {
  const chromium = useChromium();
  const perFile = opts.serverPer === 'file';
  let server: TestServer | undefined;
  let viz: CnnVis | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  const start = async () => {
    server = await startServer(opts.server);
  };
  const stop = async () => {
    await viz?.disconnect();
    await server?.close();
    viz = undefined;
    server = undefined;
  };
  if (perFile) {
    beforeAll(start);
    afterAll(stop);
  }
  beforeEach(async () => {
    if (!perFile) await start();
    page = await chromium.browser.newPage({ viewport: opts.viewport ?? { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    errors = [];
    // An uncaught error in the page fails the test.
    page.on('pageerror', (err) => errors.push(err.message));
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
    if (!perFile) await stop();
    expect(errors).toEqual([]);
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not open here (read it inside a test or a hook declared after useAppPage)`);
    return value;
  };
  return {
    get browser() {
      return chromium.browser;
    },
    get server() {
      return need(server, 'the server');
    },
    get viz() {
      viz ??= new CnnVis({ url: need(server, 'the server').url, env: opts.env ?? 'main' });
      return viz;
    },
    get page() {
      return need(page, 'the page');
    },
    get ui() {
      return createUiDriver(need(page, 'the page'), () => need(server, 'the server').url);
    },
  };
}
