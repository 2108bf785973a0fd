/**
 * Access control as a person meets it in Chromium: a server with a token asks
 * for it once on a login page and keeps an HttpOnly cookie; a read-only
 * server shows everything and offers no way to change it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { pane, useChromium } from './support/ui-driver';

const TOKEN = 'browser-token-0123456789';

const chromium = useChromium();

describe('with a token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ token: TOKEN });
    const viz = new CnnVis({ url: server.url, token: TOKEN, env: 'main' });
    await viz.line({ x: [1, 2, 3], y: [3, 1, 2] }, { win: 'loss', title: 'loss' });
    await viz.disconnect();
  });
  afterAll(() => server.close());

  test('the login page asks once, then the UI shows the env and stays logged in', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/?env=main`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.fill('input[name="token"]', 'wrong-token-wrong-token');
    await page.click('button[type="submit"]');
    expect(await page.textContent('[role="alert"]')).toMatch(/not the token/);

    await page.fill('input[name="token"]', TOKEN);
    await Promise.all([page.waitForURL(/\?env=main$/), page.click('button[type="submit"]')]);
    await page.waitForSelector(`${pane('loss')}[data-ready="true"]`, { timeout: 15_000 });
    expect(await page.textContent('[data-testid="connection"]')).toBe('live');

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'cnnvis_session', httpOnly: true, sameSite: 'Lax' });
    // Scripts in the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // A reload keeps the session: no second login.
    await page.reload();
    await page.waitForSelector(`${pane('loss')}[data-ready="true"]`, { timeout: 15_000 });
    await context.close();
  });
});

describe('read-only', () => {
  let server: TestServer;
  const dataDir = mkdtempSync(join(tmpdir(), 'cnnvis-readonly-ui-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeAll(async () => {
    const writable = await startServer({ dataDir });
    const viz = new CnnVis({ url: writable.url, env: 'main' });
    await viz.text('<b>hello</b>', { win: 'note' });
    await viz.disconnect();
    await writable.close();
  });

  test('panes show, and cannot be closed or dragged', async () => {
    server = await startServer({ dataDir, readonly: true });
    const page = await chromium.browser.newPage();
    try {
      await page.goto(`${server.url}/?env=main`);
      await page.waitForSelector(`${pane('note')}[data-ready="true"]`, { timeout: 15_000 });
      await page.waitForSelector('.readonly');
      expect(await page.isVisible(`${pane('note')} [data-action="close"]`)).toBe(false);
      expect(await page.getAttribute('[data-testid="connection"]', 'title')).toMatch(/read-only/);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
