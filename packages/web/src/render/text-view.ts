/**
 * A text pane: client HTML in a sandboxed iframe (see text-document.ts).
 * The PNG download is best effort: the iframe's pixels cannot be read from
 * outside the sandbox, so it draws the plain text onto a canvas instead.
 * @module
 */
import type { Window } from '@cnnvis/protocol';
import { downloadCanvas, whiteCanvas } from './download';
import { buildTextDocument, htmlToPlainText, TEXT_SANDBOX } from './text-document';
import type { PaneView, ViewHooks } from './pane-view';

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
  const frame = document.createElement('iframe');
  frame.className = 'text-view';
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
