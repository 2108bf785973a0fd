/**
 * Script payloads in text, HTML and SVG panes run nothing, in Chromium, against
 * the real server: pushed through the SDK (`viz.text`) and through the Visdom
 * routes (a text pane, and the SVG pane `viz.svg` sends), loaded, and the
 * clickable ones clicked. Every payload tries to signal in four ways (a message
 * to the top window, a console line, the top window's title and a request to
 * a marker URL); none may arrive. Benign formatting and SVG must still show.
 * Assumes the UI is built.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { CnnVis } from '@cnnvis/client';
import { startServer, type TestServer } from '../../../test/support/start-server';
import { createUiDriver, pane, useChromium } from './support/ui-driver';

/** What a payload runs if it runs: each signal on its own, so one that throws cannot hide the others. */
const signal = (n: string) =>
  [
    `top.postMessage('xss:${n}','*')`,
    `parent.postMessage('xss:${n}','*')`,
    `console.log('xss:${n}')`,
    `top.document.title='xss:${n}'`,
    `top.__xss='${n}'`,
    `fetch('/xss-mark/${n}')`,
    `new Image().src='/xss-mark/${n}'`,
  ]
    .map((s) => `try{${s}}catch(e){}`)
    .join(';');

const escapeAttr = (html: string) => html.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Payloads that would run as the pane loads. */
const onLoad: Array<(n: string) => string> = [
  (n) => `<script>${signal(n)}</script>`,
  (n) => `<img src=x onerror="${signal(n)}">`,
  (n) => `<svg onload="${signal(n)}"><rect width="4" height="4"/></svg>`,
  (n) => `<svg><script>${signal(n)}</script></svg>`,
  (n) => `<svg><script href="data:text/javascript,${encodeURIComponent(signal(n))}"></script></svg>`,
  (n) => `<svg><animate onbegin="${signal(n)}" attributeName="x" dur="1s"/></svg>`,
  (n) => `<svg><image href="data:," onerror="${signal(n)}"/></svg>`,
  (n) => `<iframe srcdoc="${escapeAttr(`<script>${signal(n)}</script>`)}"></iframe>`,
  (n) => `<iframe src="javascript:${escapeAttr(signal(n))}"></iframe>`,
  (n) => `<object data="data:text/html,${encodeURIComponent(`<script>${signal(n)}</script>`)}"></object>`,
  (n) => `<embed src="data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" onload="${signal(n)}"/>`)}">`,
  (n) => `<meta http-equiv="refresh" content="0;url=javascript:${escapeAttr(signal(n))}">`,
  (n) => `<details open ontoggle="${signal(n)}"><summary>s</summary></details>`,
  (n) => `<input autofocus onfocus="${signal(n)}">`,
  (n) => `<video><source onerror="${signal(n)}"></video>`,
  (n) => `<body onload="${signal(n)}">`,
  (n) => `<math><mtext><table><mglyph><style><img src=x onerror="${signal(n)}"></style></mglyph></table></mtext></math>`,
  (n) => `<style>@import url('javascript:${signal(n)}');</style>`,
];

/** Payloads that need a click; each gets a pane of its own, since a navigation could take the pane with it. */
const onClick: Array<(n: string) => string> = [
  (n) => `<a id="hit" href="javascript:${escapeAttr(signal(n))}">link</a>`,
  (n) => `<a id="hit" target="_self" href="javascript:${escapeAttr(signal(n))}">self link</a>`,
  (n) => `<svg width="120" height="30"><a id="hit" href="javascript:${escapeAttr(signal(n))}"><text x="5" y="20">svg link</text></a></svg>`,
  (n) => `<svg width="40" height="40"><rect id="hit" width="40" height="40" onclick="${signal(n)}"/></svg>`,
  (n) => `<form action="javascript:${escapeAttr(signal(n))}"><button id="hit">go</button></form>`,
  (n) => `<button id="hit" onclick="${signal(n)}">button</button>`,
];

/** What must still render: formatting and an SVG drawing. */
const BENIGN = '<b id="bold">bold</b> <svg width="40" height="40"><circle id="dot" cx="20" cy="20" r="15" fill="red"/></svg>';

describe('script payloads in panes', () => {
  const chromium = useChromium();
  let context: BrowserContext;
  let server: TestServer;
  let viz: CnnVis;
  let page: Page;
  const executed: string[] = [];
  const blocked: string[] = [];
  const markers: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    viz = new CnnVis({ url: server.url, env: 'main' });
    context = await chromium.browser.newContext({ viewport: { width: 1440, height: 900 } });
    // Every page (popups from clicked links included) reports what reaches it.
    await context.addInitScript(() => {
      window.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('xss:')) console.log(`message ${e.data}`);
      });
    });
    // A script's own line is exactly `xss:<id>`; Chromium's "Blocked …" reports quote the payload and do not count.
    const watch = (p: Page) =>
      p.on('console', (m) => {
        if (/^(message )?xss:[\w-]+$/.test(m.text())) executed.push(m.text());
        else if (m.text().includes('xss:')) blocked.push(m.text());
      });
    context.on('page', watch);
    context.on('request', (r) => (r.url().includes('/xss-mark/') ? markers.push(r.url()) : undefined));
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await viz?.disconnect();
    await server?.close();
  });

  test('text, HTML and SVG panes run none of them, and still show formatting and SVG', async () => {
    const panes: Array<{ win: string; click: boolean }> = [];
    let payloads = 0;
    const all = (prefix: string) => onLoad.map((p, i) => p(`${prefix}-load-${i}`)).join('\n');
    const visdomText = async (win: string, content: string) => {
      const res = await fetch(`${server.url}/events`, {
        method: 'POST',
        body: JSON.stringify({ eid: 'main', win, data: [{ type: 'text', content }], opts: {} }),
      });
      expect(await res.text()).toBe(win);
    };

    // SDK: one pane with every on-load payload, then one pane per click payload.
    await viz.text(BENIGN + all('sdk'), { win: 'sdk-load' });
    panes.push({ win: 'sdk-load', click: false });
    for (const [i, p] of onClick.entries()) {
      await viz.text(BENIGN + p(`sdk-click-${i}`), { win: `sdk-click-${i}` });
      panes.push({ win: `sdk-click-${i}`, click: true });
    }
    // Visdom: the same as a text pane over /events…
    await visdomText('vis-load', BENIGN + all('vis'));
    panes.push({ win: 'vis-load', click: false });
    for (const [i, p] of onClick.entries()) {
      await visdomText(`vis-click-${i}`, BENIGN + p(`vis-click-${i}`));
      panes.push({ win: `vis-click-${i}`, click: true });
    }
    // …and as viz.svg sends a figure: one <svg> element as a text pane.
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="60" onload="${signal('svg-onload')}">` +
      `<script>${signal('svg-script')}</script>` +
      `<circle id="dot" cx="30" cy="30" r="20" fill="blue" onmouseover="${signal('svg-hover')}"/>` +
      `<set attributeName="onmouseover" to="${escapeAttr(signal('svg-set'))}"/>` +
      `<foreignObject x="60" width="100" height="40"><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="${signal('svg-foreign')}"/></foreignObject>` +
      `<a id="hit" href="javascript:${escapeAttr(signal('svg-link'))}"><text x="200" y="35">svg link</text></a></svg>`;
    await visdomText('vis-svg', `<b id="bold">bold</b>${svg}`);
    panes.push({ win: 'vis-svg', click: true });
    payloads = 2 * (onLoad.length + onClick.length) + 6;

    const ui = createUiDriver(page, () => server.url);
    await ui.open();
    // Control: the same signals from an unsandboxed frame must all be seen, or a 0 below would prove nothing.
    const title = await page.title();
    await page.evaluate((html) => {
      const f = document.createElement('iframe');
      f.srcdoc = html;
      document.body.append(f);
    }, `<script>${signal('control')}</script>`);
    for (let i = 0; i < 50 && !(executed.includes('message xss:control') && markers.length > 0); i++) await page.waitForTimeout(100);
    expect([executed.includes('xss:control'), executed.includes('message xss:control'), markers.some((m) => m.endsWith('/xss-mark/control'))]).toEqual([true, true, true]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBe('control');
    await page.evaluate((t) => {
      document.querySelectorAll('body > iframe').forEach((f) => f.remove());
      document.title = t;
      delete (window as unknown as { __xss?: string }).__xss;
    }, title);
    executed.length = 0;
    markers.length = 0;
    for (const { win, click } of panes) {
      // Panes draw once scrolled into view (one IntersectionObserver for all).
      await page.locator(pane(win)).scrollIntoViewIfNeeded();
      await ui.ready(win);
      const frame = page.frameLocator(`${pane(win)} iframe`);
      // Benign formatting and SVG still render inside every pane.
      await frame.locator('#bold').waitFor({ state: 'visible' });
      expect((await frame.locator('#dot').first().boundingBox())?.width ?? 0).toBeGreaterThan(10);
      if (click) {
        await frame.locator('#hit').first().click({ timeout: 5000 });
        await frame.locator('#dot').first().hover({ timeout: 5000 });
      }
      expect(await page.getAttribute(`${pane(win)} iframe`, 'sandbox')).not.toContain('allow-scripts');
    }
    // Time for anything delayed (animations, meta refresh, popups) to fire.
    await page.waitForTimeout(1500);
    const topFlag = await page.evaluate(() => (window as unknown as { __xss?: string }).__xss);
    const finalTitle = await page.title();
    const ran = [...executed, ...markers, ...(topFlag === undefined ? [] : [`top.__xss=${topFlag}`]), ...(finalTitle.startsWith('xss:') ? [finalTitle] : [])];
    console.log(
      `xss: ${payloads} payloads in ${panes.length} panes (SDK text, Visdom text, Visdom svg), ${ran.length} executed ` +
        `(${blocked.length} attempts reported blocked by Chromium)`,
    );
    expect(ran).toEqual([]);
  }, 90_000);
});
