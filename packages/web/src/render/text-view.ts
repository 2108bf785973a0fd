/**
 * A text pane: client HTML in a sandboxed iframe (no scripts, no same origin) so it can never
 * reach the UI; the PNG download draws its plain text, as the iframe cannot be read.
 * @module
 */
import type { Window } from '@cnnvis/protocol';
import { downloadCanvas, whiteCanvas } from './download';
import type { PaneView, ViewHooks } from './pane-view';
import { element } from '../dom';

/** Sandbox flags: links may open in a new tab, as a normal page; nothing else. */
export const TEXT_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

const CSP = [
  "default-src 'none'",
  "script-src 'none'",
  'img-src * data: blob:',
  "style-src 'unsafe-inline' *",
  'font-src * data:',
  'media-src * data: blob:',
].join('; ');

const STYLE = `
  html { color-scheme: light; }
  body { margin: 10px 14px; font: 13px/1.55 Inter, system-ui, -apple-system, "Segoe UI", sans-serif;
         color: #1f2937; overflow-wrap: anywhere; }
  h1, h2, h3, h4 { margin: 0.6em 0 0.3em; line-height: 1.25; color: #111827; }
  h1 { font-size: 1.5em; } h2 { font-size: 1.3em; } h3 { font-size: 1.12em; }
  p { margin: 0.4em 0; }
  pre, code { font: 12px/1.45 ui-monospace, "JetBrains Mono", Menlo, Consolas, monospace; }
  pre { background: #f6f8fa; padding: 8px 10px; border-radius: 6px; white-space: pre-wrap; }
  code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
  pre code { background: none; padding: 0; }
  table { border-collapse: collapse; margin: 0.5em 0; }
  th, td { border: 1px solid #e5e7eb; padding: 3px 8px; text-align: left; }
  th { background: #f9fafb; }
  a { color: #2563eb; }
  img, video, svg { max-width: 100%; }
  video { height: auto; }
`;

/**
 * Wrap client HTML in a full document for `iframe.srcdoc`.
 * @example iframe.srcdoc = buildTextDocument('<b>done</b>');
 */
export function buildTextDocument(html: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    // Links would otherwise navigate the pane's iframe away from the text.
    '<base target="_blank">' +
    `<style>${STYLE}</style></head><body>${html}</body></html>`
  );
}

/**
 * The visible text of some HTML, without running or loading anything:
 * DOMParser builds an inert document (no scripts, no image loads).
 */
export function htmlToPlainText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const el of doc.querySelectorAll('script, style')) el.remove();
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  for (const block of doc.querySelectorAll('p, div, li, h1, h2, h3, h4, h5, h6, tr, pre')) {
    block.append('\n');
  }
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

const FONT = '13px Inter, system-ui, sans-serif';
const LINE_PX = 20;

/** Break `text` into lines no wider than `width` px. */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/(\s+)/)) {
      if (line !== '' && ctx.measureText(line + word).width > width) {
        lines.push(line.trimEnd());
        line = word.trimStart();
      } else {
        line += word;
      }
    }
    lines.push(line);
  }
  return lines;
}

export function createTextView(body: HTMLElement, hooks: ViewHooks): PaneView {
  const frame = element('iframe', 'text-view');
  frame.setAttribute('sandbox', TEXT_SANDBOX);
  frame.referrerPolicy = 'no-referrer';
  frame.title = 'text pane';
  // The blank document an iframe starts with fires `load` too; only the text's own counts.
  frame.addEventListener('load', () => {
    if (frame.srcdoc !== '') hooks.ready(true);
  });
  body.append(frame);
  let text = '';

  return {
    render(win: Window) {
      if (win.content.kind !== 'text') return;
      text = win.content.text;
      hooks.ready(false);
      frame.srcdoc = buildTextDocument(text);
    },
    resize() {},
    async download(filename, title) {
      const width = Math.max(320, frame.clientWidth);
      const measure = whiteCanvas(1, 1).ctx;
      measure.font = FONT;
      const lines = [title, '', ...wrap(measure, htmlToPlainText(text), width - 28)];
      const { canvas, ctx } = whiteCanvas(width, Math.min(16_000, lines.length * LINE_PX + 24));
      ctx.fillStyle = '#1f2937';
      ctx.textBaseline = 'top';
      lines.forEach((line, i) => {
        ctx.font = i === 0 ? `600 ${FONT}` : FONT;
        ctx.fillText(line, 14, 12 + i * LINE_PX);
      });
      await downloadCanvas(canvas, filename);
    },
    dispose() {
      frame.remove();
    },
  };
}
