/**
 * The document a text pane shows. Text panes hold HTML from any client, so it
 * is shown in a sandboxed iframe (no `allow-scripts`, no `allow-same-origin`):
 * scripts and inline handlers never run, and the HTML cannot reach the UI's
 * DOM, cookies or socket. The CSP repeats the point in case the sandbox is
 * ever loosened; styles and images still render, so formatting shows.
 * @module
 */

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
