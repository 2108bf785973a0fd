/**
 * The tag + class + text + test id helper almost every view starts from, and canvases to draw on.
 * @module
 */

/** @example const count = element('span', 'graph-count', { text: '3 found', testid: 'graph-search-count' }); */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, props: { text?: string; testid?: string } = {}): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className !== '') e.className = className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.testid !== undefined) e.dataset['testid'] = props.testid;
  return e;
}

/**
 * A `<button type="button">` (so it never submits a form) with its class (none
 * for ''), text and tooltip.
 * @example const close = button('panel-close', '×', 'Close');
 */
export function button(className: string, text: string, title?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  if (className !== '') b.className = className;
  b.textContent = text;
  if (title !== undefined) b.title = title;
  return b;
}

/** A canvas holding `pixels` (RGBA, w×h) at their own size, to be drawn scaled. */
export function imageCanvas(pixels: Uint8ClampedArray<ArrayBuffer>, w: number, h: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')?.putImageData(new ImageData(pixels, w, h), 0, 0);
  return canvas;
}

/** Size `canvas` to w×h CSS px at the screen's pixel density (at most 2×); the context it returns draws in CSS px. */
export function sizeCanvas(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D | null {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** A rectangle outlined black outside and white inside, so it shows on any colour (a receptive field). */
export function outlineRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, lineWidth: number): void {
  const d = lineWidth / 2;
  ctx.lineWidth = lineWidth;
  ctx.strokeStyle = '#000';
  ctx.strokeRect(x - d, y - d, w + 2 * d, h + 2 * d);
  ctx.strokeStyle = '#fff';
  ctx.strokeRect(x + d, y + d, w - 2 * d, h - 2 * d);
}
